import Foundation

/// One outgoing HTTP request, independent of the client library that sends it.
public struct HTTPRequestSpec: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// The whole exchange (connect, send, receive the body) must finish within this.
    public var timeout: Duration

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [],
                body: Data? = nil, timeout: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete HTTP response: status, headers and the whole body.
public struct HTTPResponseSpec: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively as HTTP requires.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends HTTP requests. Every remote API client in Steward goes through one of these, so tests can
/// substitute a recording transport and the app can share one connection pool.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the full response, whatever its status.
    /// Throws `HTTPTransportError` when no response arrived (timeout, refused, dropped connection)
    /// and `CancellationError` when the calling task was cancelled.
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec
}

/// Why no HTTP response arrived. Its description never contains the request URL, whose path may
/// carry a secret (Telegram puts the bot token there).
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case timeout, connection, invalidRequest, responseTooLarge
    }

    private let code: Code
    /// What the underlying library said, for logs.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The deadline passed before the response was complete.
    public static func timeout(_ detail: String = "") -> Self { .init(.timeout, detail) }
    /// Refused, reset, dropped or unreachable.
    public static func connection(_ detail: String = "") -> Self { .init(.connection, detail) }
    /// The request could not be sent at all (bad URL, bad header).
    public static func invalidRequest(_ detail: String = "") -> Self { .init(.invalidRequest, detail) }
    public static func responseTooLarge(_ detail: String = "") -> Self { .init(.responseTooLarge, detail) }

    public var isTimeout: Bool { code == .timeout }
    public var isConnection: Bool { code == .connection }
    /// Worth trying again later: the server may simply not have been reachable.
    public var isTransient: Bool { code == .timeout || code == .connection }

    /// Equal when of the same kind; the detail text does not matter.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public var description: String {
        let kind = switch code {
        case .timeout: "timed out"
        case .connection: "connection failed"
        case .invalidRequest: "invalid request"
        case .responseTooLarge: "response too large"
        }
        return detail.isEmpty ? "HTTP \(kind)" : "HTTP \(kind): \(detail)"
    }
}

extension HTTPTransport {
    /// GET with optional `If-None-Match`, the piece `HTTPFetching` needs (ICS URLs).
    public func conditionalGet(_ url: URL, etag: String?,
                               timeout: Duration = .seconds(30)) async throws -> (status: Int, etag: String?, body: Data) {
        var headers: [(name: String, value: String)] = []
        if let etag { headers.append((name: "If-None-Match", value: etag)) }
        let response = try await send(HTTPRequestSpec(method: "GET", url: url, headers: headers, timeout: timeout))
        return (response.status, response.header("ETag"), response.status == 304 ? Data() : response.body)
    }
}
