import Foundation
import Logging
import StewardHTTP

/// The Bot API in one request method; typed endpoints (`getMe`, `sendMessage`…) are extensions on it,
/// so a test double implements a single function.
public protocol TelegramClient: Sendable {
    /// Calls `method` with `body` as its JSON parameters and decodes the envelope's `result`.
    /// - Parameter timeout: for the whole exchange; nil = the client's default. Long polls pass their own.
    /// - Throws: `TelegramError` for every failure (network ones included), or `CancellationError`.
    func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body, timeout: Duration?
    ) async throws -> Result
}

extension TelegramClient {
    public func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body
    ) async throws -> Result {
        try await call(method, body, timeout: nil)
    }
}

/// The real client: POSTs JSON to `{baseURL}/bot{token}/{method}` over an `HTTPTransport`.
/// The token is never logged and never appears in a thrown error.
public struct HTTPTelegramClient: TelegramClient {
    public static let defaultBaseURL = URL(string: "https://api.telegram.org")!

    private let token: String
    private let baseURL: String
    private let transport: any HTTPTransport
    private let defaultTimeout: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - baseURL: `TELEGRAM_API_URL`; a self-hosted Bot API server or a test fake.
    ///   - defaultTimeout: for every call that does not name its own.
    public init(token: String, baseURL: URL = HTTPTelegramClient.defaultBaseURL, transport: any HTTPTransport,
                defaultTimeout: Duration = .seconds(20), logger: Logger = Logger(label: "steward.telegram")) {
        self.token = token
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.transport = transport
        self.defaultTimeout = defaultTimeout
        self.logger = logger
    }

    public func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body, timeout: Duration?
    ) async throws -> Result {
        guard let url = URL(string: "\(baseURL)/bot\(token)/\(method)") else {
            throw TelegramError.badRequest
        }
        let payload: Data
        if let direct = (body as? any DirectJSONBody)?.directJSON {
            payload = direct
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            do { payload = try encoder.encode(body) } catch {
                throw TelegramError.from(status: 400, envelope: nil)
            }
        }
        let request = HTTPRequestSpec(method: "POST", url: url,
                                      headers: [(name: "Content-Type", value: "application/json")],
                                      body: payload, timeout: timeout ?? defaultTimeout)
        let response: HTTPResponseSpec
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let reason = redact(String(describing: error))
            logger.debug("telegram call failed without a response", metadata: ["method": "\(method)", "error": "\(reason)"])
            throw TelegramError.network(reason)
        }
        return try decode(response, method: method)
    }

    private func decode<Result: Decodable>(_ response: HTTPResponseSpec, method: String) throws -> Result {
        let decoder = JSONDecoder()
        // One parse for the common case; failures are parsed again below to say exactly what went wrong.
        if (200..<300).contains(response.status),
           let success = try? decoder.decode(SuccessEnvelope<Result>.self, from: response.body),
           success.ok, let result = success.result {
            return result
        }
        guard let envelope = try? decoder.decode(ErrorEnvelope.self, from: response.body) else {
            // Not the Bot API's envelope: a proxy's error page, a truncated body.
            if (200..<300).contains(response.status) {
                throw TelegramError.server(status: response.status, message: "response is not a Bot API envelope")
            }
            throw TelegramError.from(status: response.status, envelope: nil)
        }
        guard envelope.ok else {
            let error = TelegramError.from(status: response.status, envelope: envelope)
            logger.debug("telegram call refused", metadata: ["method": "\(method)", "error": "\(redact(error.description))"])
            throw error
        }
        do {
            return try decoder.decode(ResultEnvelope<Result>.self, from: response.body).result
        } catch {
            throw TelegramError.server(status: response.status, message: "unexpected result for \(method): \(error)")
        }
    }

    /// Belt and braces: nothing we pass on should ever contain the token, but if a library put the
    /// URL in an error text, it is cut out here.
    private func redact(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }
}
