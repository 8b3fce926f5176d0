import Foundation
import Logging
import StewardCore
import StewardHTTP

/// The Client-Server API v3 in one request method; typed endpoints (`whoami`, `sync`, `send`…) are
/// extensions on it, so a test double implements a single function.
public protocol MatrixClient: Sendable {
    /// Calls `path` (below `/_matrix/client/v3`, already percent-encoded) and decodes the JSON answer.
    /// - Parameter timeout: for the whole exchange; nil = the client's default. Long polls pass their own.
    /// - Throws: `MatrixError` for every failure (network ones included), or `CancellationError`.
    func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)],
                                            body: Data?, timeout: Duration?) async throws -> Result
}

extension MatrixClient {
    func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)] = [],
                                            timeout: Duration? = nil) async throws -> Result {
        try await call(method, path, query: query, body: nil, timeout: timeout)
    }

    func call<Body: Encodable, Result: Decodable & Sendable>(_ method: String, _ path: String, json: Body,
                                                              timeout: Duration? = nil) async throws -> Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let body: Data
        do { body = try encoder.encode(json) } catch { throw MatrixError(status: 400, errcode: "M_BAD_JSON", message: "\(error)") }
        return try await call(method, path, query: [], body: body, timeout: timeout)
    }
}

/// The real client: JSON over an `HTTPTransport` to `{homeserver}/_matrix/client/v3/…`, the access token
/// in the `Authorization` header (never in the URL, so never in a log line).
public final class HTTPMatrixClient: MatrixClient {
    private let homeserver: String
    private let transport: any HTTPTransport
    private let token: Locked<String?>
    private let defaultTimeout: Duration
    private let logger: Logger

    public init(homeserver: URL, accessToken: String?, transport: any HTTPTransport,
                defaultTimeout: Duration = .seconds(20), logger: Logger = Logger(label: "steward.matrix")) {
        var base = homeserver.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.homeserver = base
        self.transport = transport
        token = Locked(accessToken)
        self.defaultTimeout = defaultTimeout
        self.logger = logger
    }

    /// Set after a password login.
    public func setAccessToken(_ accessToken: String) { token.withLock { $0 = accessToken } }
    public var hasAccessToken: Bool { token.withLock { $0 != nil } }

    public func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)],
                                                   body: Data?, timeout: Duration?) async throws -> Result {
        let prefix = path.hasPrefix("/_matrix/") ? "" : "/_matrix/client/v3"
        var text = homeserver + prefix + path
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else { throw MatrixError(status: 400, errcode: "M_BAD_URL", message: path) }
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if body != nil || method != "GET" { headers.append((name: "Content-Type", value: "application/json")) }
        if let token = token.withLock({ $0 }) { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = HTTPRequestSpec(method: method, url: url, headers: headers,
                                      body: body ?? (method == "GET" ? nil : Data("{}".utf8)),
                                      timeout: timeout ?? defaultTimeout)
        let response: HTTPResponseSpec
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw MatrixError.noAnswer(error)
        }
        if (200..<300).contains(response.status) {
            do { return try JSONDecoder().decode(Result.self, from: response.body) } catch {
                throw MatrixError(status: response.status, errcode: "M_BAD_RESPONSE", message: "unexpected answer to \(method) \(Self.shape(path)): \(error)")
            }
        }
        let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: response.body)
        var error = MatrixError(status: response.status, errcode: envelope?.errcode ?? "HTTP_\(response.status)",
                                message: envelope?.error ?? "")
        if let milliseconds = envelope?.retryAfterMs { error.retryAfter = .milliseconds(milliseconds) }
        else if let header = RetryPolicy.retryAfter(from: response.header("Retry-After")) { error.retryAfter = header }
        logger.debug("matrix call refused", metadata: ["path": "\(Self.shape(path))", "error": "\(error)"])
        throw error
    }

    /// The path without ids, for logs and error texts.
    static func shape(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("%21") || $0.hasPrefix("%40") || $0.hasPrefix("!") ? "{id}" : String($0) }
            .joined(separator: "/")
    }

    /// Percent-encodes a path segment or query value (room ids have `!` and `:`, user ids `@`).
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Built once: a `CharacterSet` made per call was a measurable share of each request.
    private static let unreserved: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    private struct ErrorEnvelope: Decodable {
        var errcode: String?
        var error: String?
        var retryAfterMs: Int?
        enum CodingKeys: String, CodingKey {
            case errcode, error
            case retryAfterMs = "retry_after_ms"
        }
    }
}

/// What the homeserver (or the way to it) said no with.
public struct MatrixError: Error, Sendable, CustomStringConvertible {
    /// HTTP status; 0 when no answer arrived.
    public var status: Int
    /// `M_FORBIDDEN`, `M_LIMIT_EXCEEDED`, `M_UNKNOWN_TOKEN`…; `NETWORK` or `TIMEOUT` when no answer arrived.
    public var errcode: String
    public var message: String
    /// From `retry_after_ms` or `Retry-After`.
    public var retryAfter: Duration?

    public init(status: Int, errcode: String, message: String, retryAfter: Duration? = nil) {
        self.status = status
        self.errcode = errcode
        self.message = message
        self.retryAfter = retryAfter
    }

    public var isRateLimited: Bool { status == 429 || errcode == "M_LIMIT_EXCEEDED" }
    public var isTransient: Bool { status == 0 || status >= 500 || status == 408 }
    public var isUnauthorized: Bool { status == 401 || errcode == "M_UNKNOWN_TOKEN" || errcode == "M_MISSING_TOKEN" }

    public var description: String {
        let what = status == 0 ? "no answer" : "\(status) \(errcode)"
        return message.isEmpty ? "Matrix: \(what)" : "Matrix: \(what): \(message.prefix(300))"
    }
}
