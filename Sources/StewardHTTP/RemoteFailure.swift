import Foundation

/// What went wrong with one remote call, in the few classes every API's failures fall into: what a
/// caller would *do* about it, not the API's own words. Each client keeps its own error type (with the
/// API's details) and a classifier that maps it here; the pipeline (`RemoteCall`) decides retries, waits,
/// the breaker and the limiter from this alone, and `/metrics` counts by `metricsClass`.
///
/// A struct around a private code so classes can be added without breaking callers; equality compares
/// the class only (`failure == .unavailable`).
public struct RemoteFailure: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case rateLimited, unavailable, timeout, network, unauthorized, notFound, rejected
    }

    private let code: Code
    /// How long the server asked us to wait (`Retry-After`, Telegram's `retry_after`), for `rateLimited`.
    public let retryAfter: Duration?
    /// For logs; never a URL or a secret.
    public let detail: String

    private init(_ code: Code, retryAfter: Duration? = nil, detail: String = "") {
        self.code = code
        self.retryAfter = retryAfter
        self.detail = detail
    }

    /// The API is limiting us (HTTP 429, Google's 403 `rateLimitExceeded`, Slack's `ratelimited`):
    /// wait `retryAfter` when given, then try again.
    public static let rateLimited = RemoteFailure(.rateLimited)
    public static func rateLimited(retryAfter: Duration?, _ detail: String = "") -> RemoteFailure {
        RemoteFailure(.rateLimited, retryAfter: retryAfter, detail: detail)
    }
    /// The server failed (5xx, an answer that is not the API's): back off and retry.
    public static let unavailable = RemoteFailure(.unavailable)
    /// No answer in time: back off and retry.
    public static let timeout = RemoteFailure(.timeout)
    /// No answer at all (refused, reset, unreachable): back off and retry.
    public static let network = RemoteFailure(.network)
    /// The credentials were refused: the owner must fix them; retrying will not.
    public static let unauthorized = RemoteFailure(.unauthorized)
    /// What was asked for does not exist (any more).
    public static let notFound = RemoteFailure(.notFound)
    /// The request is wrong and will not succeed as it is.
    public static let rejected = RemoteFailure(.rejected)

    /// The same class with `detail` for logs.
    public func with(detail: String) -> RemoteFailure { RemoteFailure(code, retryAfter: retryAfter, detail: detail) }

    public static func == (lhs: RemoteFailure, rhs: RemoteFailure) -> Bool { lhs.code == rhs.code }

    /// Worth trying again later with the same request.
    public var isRetryable: Bool {
        switch code {
        case .rateLimited, .unavailable, .timeout, .network: true
        case .unauthorized, .notFound, .rejected: false
        }
    }

    /// A sign the service itself is down, which a circuit breaker counts. A rate limit is not: the
    /// service is up and asking us to slow down, which the limiter handles.
    public var meansServiceDown: Bool { code == .unavailable || code == .timeout || code == .network }

    /// The label `/metrics` counts failures by (`steward_remote_errors_total{class}`).
    public var metricsClass: String {
        switch code {
        case .rateLimited: "rate_limited"
        case .unavailable: "server"
        case .timeout: "timeout"
        case .network: "network"
        case .unauthorized: "unauthorized"
        case .notFound: "not_found"
        case .rejected: "rejected"
        }
    }

    public var description: String {
        var text = code.rawValue
        if let retryAfter { text += " (retry after \(retryAfter))" }
        return detail.isEmpty ? text : "\(text): \(detail)"
    }
}

extension RemoteFailure {
    /// The plain HTTP reading of a status, for APIs that say nothing more (and as a starting point for
    /// those that do): nil for success and redirects.
    public static func from(status: Int, retryAfter: Duration? = nil) -> RemoteFailure? {
        switch status {
        case 200..<400: nil
        case 401, 403: .unauthorized
        case 404, 410: .notFound
        case 429: .rateLimited(retryAfter: retryAfter)
        case 408: .timeout
        case 400..<500: .rejected
        default: .unavailable
        }
    }

    /// A status and its `Retry-After` header, read as HTTP says.
    public static func from(_ response: HTTPResponseSpec) -> RemoteFailure? {
        from(status: response.status, retryAfter: RetryPolicy.retryAfter(from: response.header("Retry-After")))
    }

    /// A failure with no answer: a transport error or anything unknown (counted as the network).
    /// Nil for cancellation, which is no failure of the remote side.
    public static func from(transportError error: any Error) -> RemoteFailure? {
        if error is CancellationError { return nil }
        if let failure = error as? RemoteFailure { return failure }
        guard let error = error as? HTTPTransportError else { return .network.with(detail: String(describing: error)) }
        if error.isTimeout { return .timeout.with(detail: error.detail) }
        if error.isConnection { return .network.with(detail: error.detail) }
        return .rejected.with(detail: error.description)  // could not be sent at all, or too large to take
    }
}
