import Foundation
import StewardHTTP

extension MatrixError {
    /// The homeserver's failures in the pipeline's shared classes (`RemoteCall` retries, waits and counts
    /// by them; the sync loop takes its wait from them):
    /// - `M_LIMIT_EXCEEDED` (or a bare 429) is a rate limit with the server's `retry_after_ms`; without one,
    ///   a second, so a limited send still waits instead of hammering the homeserver;
    /// - 401 / `M_UNKNOWN_TOKEN` / `M_MISSING_TOKEN` and 403 / `M_FORBIDDEN` are permanent: the owner must fix
    ///   the token, or Steward is not allowed in that room; retrying the same request will not help;
    /// - 5xx, an answer that is not the API's, no answer, a timeout: transient, back off and retry.
    public var remoteFailure: RemoteFailure {
        let failure: RemoteFailure
        if isRateLimited {
            failure = .rateLimited(retryAfter: retryAfter ?? .seconds(1))
        } else if isUnauthorized || status == 403 || errcode == "M_FORBIDDEN" {
            failure = .unauthorized
        } else if status == 0 {
            switch errcode {
            case Self.timeoutCode: failure = .timeout
            case Self.notSentCode: failure = .rejected  // could not be sent at all (a bad request, too large)
            default: failure = .network
            }
        } else if (200..<300).contains(status) {
            failure = .unavailable  // a success status with an answer that is not the API's
        } else if status == 404 || errcode == "M_NOT_FOUND" {
            failure = .notFound
        } else {
            failure = RemoteFailure.from(status: status) ?? .rejected
        }
        return failure.with(detail: description)
    }

    /// The classifier `RemoteCall` takes: a `MatrixError`'s class; anything else (a storage error, a
    /// delivery verdict) is not the homeserver's failure.
    public static func classify(_ error: any Error) -> RemoteFailure? {
        (error as? MatrixError)?.remoteFailure
    }

    /// `errcode`s for failures with no answer (status 0), so the class survives the wrapping.
    static let networkCode = "NETWORK"
    static let timeoutCode = "TIMEOUT"
    static let notSentCode = "NOT_SENT"

    /// A transport failure (no answer) as a `MatrixError`, keeping whether it was a timeout.
    static func noAnswer(_ error: any Error) -> MatrixError {
        let failure = RemoteFailure.from(transportError: error)
        let code = failure == .timeout ? timeoutCode : failure == .rejected ? notSentCode : networkCode
        return MatrixError(status: 0, errcode: code, message: String(describing: error))
    }
}
