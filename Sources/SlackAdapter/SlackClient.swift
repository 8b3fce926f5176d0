import Foundation
import Logging
import StewardHTTP

/// The Slack Web API in one request method; typed endpoints (`postMessage`, `update`…) are extensions
/// on it, so a test double implements a single function.
public protocol SlackClient: Sendable {
    /// POSTs `body` as JSON to `method` and decodes the whole answer (which has `ok: true`).
    /// - Parameter token: overrides the client's bot token (the app-level token for
    ///   `apps.connections.open`); nil = the bot token.
    /// - Throws: `SlackError` for every failure (network ones included), or `CancellationError`.
    func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body, token: String?
    ) async throws -> Result

    /// POSTs `message` as JSON to a slash command's `response_url`. No token goes with it: the URL
    /// itself is the credential (valid 30 minutes, for 5 answers).
    /// - Throws: `SlackError` (`expired_url`, `used_url`, HTTP 429 / 5xx, network), or `CancellationError`.
    func respond(to url: URL, with message: SlackResponseMessage) async throws
}

extension SlackClient {
    /// Clients that only speak the Web API (test doubles) cannot answer through a `response_url`.
    public func respond(to url: URL, with message: SlackResponseMessage) async throws {
        throw SlackError.from(status: 400, error: "response_url_unsupported", retryAfter: nil)
    }
}

/// The real client: POSTs JSON with `Authorization: Bearer <token>` to `{baseURL}/{method}`.
/// Tokens travel only in that header; they are never logged and never appear in a thrown error.
public struct HTTPSlackClient: SlackClient {
    public static let defaultBaseURL = URL(string: "https://slack.com/api")!

    private let token: String
    private let baseURL: String
    private let transport: any HTTPTransport
    private let timeout: Duration
    private let logger: Logger
    /// Hears of every failed call: it logs each with a hint and keeps the last one for `/status`.
    public let health: SlackHealth

    /// - Parameters:
    ///   - token: the bot token (`xoxb-…`).
    ///   - baseURL: `SLACK_API_URL`; a proxy or a test fake.
    public init(token: String, baseURL: URL = HTTPSlackClient.defaultBaseURL, transport: any HTTPTransport,
                timeout: Duration = .seconds(15), health: SlackHealth = SlackHealth(),
                logger: Logger = Logger(label: "steward.slack")) {
        self.token = token
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.transport = transport
        self.timeout = timeout
        self.health = health
        self.logger = logger
    }

    public func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body, token: String?
    ) async throws -> Result {
        guard let url = URL(string: "\(baseURL)/\(method)") else { throw SlackError.from(status: 400, error: "invalid_url", retryAfter: nil) }
        let payload: Data
        if let direct = body as? any SlackDirectJSON {
            payload = direct.jsonBody  // a reply or an edit: written straight to bytes
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            do { payload = try encoder.encode(body) } catch {
                throw SlackError.from(status: 400, error: "invalid_json", retryAfter: nil)
            }
        }
        let request = HTTPRequestSpec(method: "POST", url: url, headers: [
            (name: "Content-Type", value: "application/json; charset=utf-8"),
            (name: "Authorization", value: "Bearer \(token ?? self.token)"),
        ], body: payload, timeout: timeout)
        let response = try await send(request, method: method, token: token)
        do {
            return try decode(response, method: method)
        } catch let error as SlackError {
            await health.record(error, method: method)
            throw error
        }
    }

    public func respond(to url: URL, with message: SlackResponseMessage) async throws {
        let method = "response_url"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let request = HTTPRequestSpec(method: "POST", url: url, headers: [
            (name: "Content-Type", value: "application/json; charset=utf-8"),
        ], body: try encoder.encode(message), timeout: timeout)
        let response = try await send(request, method: method, token: nil)
        // Slack answers `ok` (text) or `{"ok": true}`; a refusal is a 4xx with the error as text or JSON.
        let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body)
        if (200..<300).contains(response.status), envelope?.ok ?? true { return }
        let text = String(decoding: response.body.prefix(100), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = envelope?.error ?? (text.isEmpty || text.contains(" ") || text.contains("<") ? nil : text)
        let error = SlackError.from(status: response.status, error: reason,
                                    retryAfter: RetryPolicy.retryAfter(from: response.header("Retry-After"))?.seconds)
        await health.record(error, method: method)
        throw error
    }

    /// One request; a failure without a response becomes `SlackError.network` (recorded, token-free).
    private func send(_ request: HTTPRequestSpec, method: String, token: String?) async throws -> HTTPResponseSpec {
        do {
            return try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let reason = redact(String(describing: error), token: token)
            let failure = SlackError.network(reason)
            await health.record(failure, method: method)
            throw failure
        }
    }

    private struct Envelope: Decodable {
        var ok: Bool
        var error: String?
    }

    /// `ok`, `error` and, when `ok`, the method's own fields, from one parse of the body (decoding the
    /// envelope and then the result parsed every answer twice).
    private struct Answer<Result: Decodable>: Decodable {
        var ok: Bool
        var error: String?
        var result: Swift.Result<Result, any Error>?

        private enum Keys: String, CodingKey { case ok, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            ok = try container.decode(Bool.self, forKey: .ok)
            error = try container.decodeIfPresent(String.self, forKey: .error)
            result = ok ? Swift.Result { try Result(from: decoder) } : nil
        }
    }

    private func decode<Result: Decodable>(_ response: HTTPResponseSpec, method: String) throws -> Result {
        // Only a refusal needs it: the lookup scans every header of every answer.
        var retryAfter: Double? { RetryPolicy.retryAfter(from: response.header("Retry-After"))?.seconds }
        guard let answer = try? JSONDecoder().decode(Answer<Result>.self, from: response.body) else {
            // Not a Web API answer: a proxy's error page, a bare 429 or 5xx.
            if (200..<300).contains(response.status) {
                throw SlackError.server(status: response.status, message: "response is not a Web API answer")
            }
            throw SlackError.from(status: response.status, error: nil, retryAfter: retryAfter)
        }
        guard answer.ok, (200..<300).contains(response.status), let result = answer.result else {
            throw SlackError.from(status: response.status, error: answer.error, retryAfter: retryAfter)
        }
        do {
            return try result.get()
        } catch {
            throw SlackError.server(status: response.status, message: "unexpected answer to \(method): \(error)")
        }
    }

    private func redact(_ text: String, token other: String?) -> String {
        var text = text
        for secret in [token, other ?? ""] where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "<token>")
        }
        return text
    }
}
