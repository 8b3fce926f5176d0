import Foundation
import Logging
import StewardHTTP

/// One call to a Google REST API, independent of how it is sent.
public struct GoogleAPIRequest: Sendable {
    /// The discovery method id, e.g. `calendar.events.list`: for logs and errors.
    public var name: String
    public var method: String
    /// Path segments below `GOOGLE_API_URL`, unescaped (`["calendar", "v3", "calendars", "a@b.com", "events"]`).
    public var path: [String]
    public var query: [(name: String, value: String)]
    /// A JSON body.
    public var body: Data?

    public init(name: String, method: String = "GET", path: [String], query: [(name: String, value: String)] = [],
                body: Data? = nil) {
        self.name = name
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }
}

/// Google's REST APIs in one request method; typed endpoints (`calendarList()`, `insertEvent`…) are
/// extensions on it, so a test double implements a single function.
public protocol GoogleAPIClient: Sendable {
    /// Sends `request` and returns the body of its 2xx answer (empty for 204).
    /// - Throws: `GoogleError` for every failure (network ones included), or `CancellationError`.
    func send(_ request: GoogleAPIRequest) async throws -> Data
}

/// The real client: `Authorization: Bearer <token>` to `{GOOGLE_API_URL}/{path}`.
///
/// What it does about failures: a 401 refreshes the token once and repeats the call; everything else
/// is the shared pipeline's (`RemoteCall`), which sees Google's failures through
/// `GoogleError.remoteFailure(retryAfter:)`: 429, 403 `rateLimitExceeded` / `userRateLimitExceeded`, 5xx
/// and network failures are retried with full-jitter exponential backoff (`Retry-After` wins unless it
/// exceeds `retryPolicy.maxDelay`, then the call fails at once) up to `retryPolicy.maxAttempts`; anything
/// else fails at once. The access token travels only in that header: it is never logged and never part
/// of an error.
public struct HTTPGoogleAPIClient: GoogleAPIClient {
    /// Google asks for exponential backoff on rate limits and 5xx; five attempts span about half a minute.
    public static let defaultRetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(32))

    private let baseURL: String
    private let tokens: any GoogleAccessTokenSource
    private let transport: any HTTPTransport
    private let remote: RemoteCall
    private let timeout: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - baseURL: `GOOGLE_API_URL`.
    ///   - breaker: shared by the calls to one account; when open, calls fail at once with `.unavailable`.
    ///   - sleep: how backoff waits (tests record it).
    public init(baseURL: URL = GoogleEndpoints.google.apiURL, tokens: any GoogleAccessTokenSource,
                transport: any HTTPTransport, retryPolicy: RetryPolicy = HTTPGoogleAPIClient.defaultRetryPolicy,
                breaker: CircuitBreaker? = nil, timeout: Duration = .seconds(30),
                logger: Logger = Logger(label: "steward.google.api"),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.tokens = tokens
        self.transport = transport
        var policy = retryPolicy
        // A server asking for a longer pause than the policy's longest wait is not waited on inside one
        // call: the caller (a user waiting, or the next sync round) decides.
        policy.longestServerWait = policy.longestServerWait ?? policy.maxDelay
        self.remote = RemoteCall(policy: policy, breaker: breaker, sleep: sleep)
        self.timeout = timeout
        self.logger = logger
    }

    public func send(_ request: GoogleAPIRequest) async throws -> Data {
        let url = try url(for: request)
        var refreshedAfter401 = false
        do {
            return try await remote.run(classify: Self.classify, whenOpen: { GoogleError.unavailable }, willRetry: { failure, wait, _ in
                logger.debug("google call failed; backing off", metadata: [
                    "method": "\(request.name)", "error": "\(failure.detail)", "wait": "\(wait)",
                ])
            }) { _ in
                // Asked again on every attempt: a wait may have outlasted the token.
                var token = try await accessToken { try await tokens.accessToken() }
                while true {
                    switch await attempt(request, url: url, token: token) {
                    case .success(let body):
                        return body
                    case .unauthorized(let error):
                        // One refresh per call: a second 401 with a fresh token will not be cured by a third.
                        guard !refreshedAfter401 else { throw Failed(error: error, failure: error.remoteFailure()) }
                        refreshedAfter401 = true
                        logger.debug("google access token refused; refreshing", metadata: ["method": "\(request.name)"])
                        let refused = token
                        token = try await accessToken { try await tokens.accessToken(replacing: refused) }
                    case .failure(let failed):
                        throw failed
                    }
                }
            }
        } catch let failed as Failed {
            throw failed.error
        } catch let failed as TokenFailure {
            throw failed.error
        }
    }

    /// One failed attempt: Google's error for the caller, its class (with `Retry-After`) for the pipeline.
    private struct Failed: Error {
        var error: any Error
        var failure: RemoteFailure?
    }

    /// The token source failed: its own retries are done, so the call fails as it did.
    private struct TokenFailure: Error {
        var error: any Error
    }

    private static func classify(_ error: any Error) -> RemoteFailure? {
        (error as? Failed)?.failure
    }

    private func accessToken(_ fetch: () async throws -> String) async throws -> String {
        do { return try await fetch() } catch is CancellationError { throw CancellationError() } catch { throw TokenFailure(error: error) }
    }

    private enum Outcome {
        case success(Data)
        case unauthorized(GoogleError)
        case failure(Failed)
    }

    private func attempt(_ request: GoogleAPIRequest, url: URL, token: String) async -> Outcome {
        var headers: [(name: String, value: String)] = [
            (name: "Authorization", value: "Bearer \(token)"),
            (name: "Accept", value: "application/json"),
        ]
        if request.body != nil { headers.append((name: "Content-Type", value: "application/json; charset=utf-8")) }
        let spec = HTTPRequestSpec(method: request.method, url: url, headers: headers, body: request.body, timeout: timeout)
        let response: HTTPResponseSpec
        do {
            response = try await transport.send(spec)
        } catch is CancellationError {
            return .failure(Failed(error: CancellationError(), failure: nil))
        } catch {
            return .failure(Failed(error: GoogleError.network(String(describing: error)),
                                   failure: RemoteFailure.from(transportError: error)))
        }
        if (200..<300).contains(response.status) { return .success(response.body) }
        let error = GoogleError.fromAPI(status: response.status, body: response.body)
        if response.status == 401 { return .unauthorized(error) }
        let failure = error.remoteFailure(retryAfter: RetryPolicy.retryAfter(from: response.header("Retry-After")))
        if !failure.isRetryable {
            logger.debug("google call refused", metadata: ["method": "\(request.name)", "error": "\(error)"])
        }
        return .failure(Failed(error: error, failure: failure))
    }

    private func url(for request: GoogleAPIRequest) throws -> URL {
        var text = baseURL + "/" + request.path.map(FormEncoding.escape).joined(separator: "/")
        if !request.query.isEmpty {
            text += "?" + FormEncoding.encode(request.query.map { ($0.name, $0.value) })
        }
        guard let url = URL(string: text) else {
            throw GoogleError.make(.badRequest, status: nil, reason: "", message: "could not build the URL for \(request.name)")
        }
        return url
    }
}

extension GoogleError {
    /// Google's failures in the pipeline's shared classes. `retryAfter` is the answer's `Retry-After`.
    public func remoteFailure(retryAfter: Duration? = nil) -> RemoteFailure {
        let failure: RemoteFailure = switch self {
        case .rateLimited: .rateLimited(retryAfter: retryAfter)
        case .server, .unavailable: .unavailable
        case .network: message.contains("timed out") ? .timeout : .network
        case .unauthorized, .forbidden, .needsReconnect, .invalidClient: .unauthorized
        case .notFound, .gone, .syncTokenExpired: .notFound
        default: .rejected  // a bad request, a conflict, a refused sign-in code, an unreadable answer
        }
        return failure.with(detail: description)
    }
}

extension GoogleAPIClient {
    /// Sends `request` and decodes its JSON answer.
    func call<Result: Decodable>(_ request: GoogleAPIRequest, as type: Result.Type = Result.self) async throws -> Result {
        let body = try await send(request)
        do {
            return try JSONDecoder().decode(Result.self, from: body)
        } catch {
            throw GoogleError.malformed(status: 200, "unexpected answer to \(request.name): \(error)")
        }
    }

    /// Encodes `value` as a JSON request body.
    static func jsonBody(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
