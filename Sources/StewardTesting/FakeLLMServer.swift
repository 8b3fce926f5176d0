import Foundation
import Hummingbird
import Logging

/// A faithful stand-in for an OpenAI-compatible `POST /v1/chat/completions` on loopback, written from
/// OpenAI's API reference: it checks every request's shape (400 with the documented
/// `{"error": {...}}` body when it differs), plays a script of replies — text, tool calls (streamed
/// with argument fragments), 429 with `Retry-After`, 5xx, slow answers — and records every request.
public final class FakeLLMServer: Sendable {
    public let state: FakeLLMState
    private let host: String
    private let listener = LoopbackListener()

    /// - Parameter requiredKey: the API key requests must carry; nil = none needed (as with Ollama).
    public init(requiredKey: String? = nil, model: String = "fake-model", host: String = "127.0.0.1") {
        self.state = FakeLLMState(requiredKey: requiredKey, model: model)
        self.host = host
    }

    public func start() async throws {
        let router = Router()
        let state = self.state
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = (try? await request.body.collect(upTo: 8 << 20)).map { Data($0.readableBytesView) } ?? Data()
            return await Self.respond(body: body, contentType: request.headers[.contentType],
                                      authorization: request.headers[.authorization], state: state)
        }
        router.post("/v1/embeddings") { request, _ -> Response in
            let body = (try? await request.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            return await FakeEmbeddings.respond(body: body, contentType: request.headers[.contentType],
                                                authorization: request.headers[.authorization], state: state)
        }
        try await listener.start(name: "the fake LLM server") { [host] onServerRunning in
            Application(router: router, configuration: .init(address: .hostname(host, port: 0), serverName: nil),
                        onServerRunning: onServerRunning, logger: LoopbackListener.silentLogger("fake-llm"))
        }
    }

    public func stop() async { await listener.stop() }

    /// `http://127.0.0.1:<port>/v1`: what `LLM_BASE_URL` should be.
    public var baseURL: URL {
        get async throws { URL(string: "http://\(host):\(try await listener.runningPort(name: "the fake LLM server"))/v1")! }
    }

    static func respond(body: Data, contentType: String?, authorization: String?, state: FakeLLMState) async -> Response {
        let json = FakeJSON.parse(body) ?? .null
        let stream = json["stream"] == .bool(true)
        let promptTokens = Self.promptTokens(json)
        func refuse(_ status: Int, _ type: String, _ message: String, headers: HTTPFields = [:]) async -> Response {
            await state.record(FakeLLMRequest(body: json, authorization: authorization, stream: stream, status: status,
                                              problem: status == 400 ? message : nil, promptTokens: promptTokens))
            return error(status, type: type, message: message, headers: headers)
        }
        if let key = state.requiredKey, authorization != "Bearer \(key)" {
            return await refuse(401, "invalid_request_error", "Incorrect API key provided.")
        }
        guard contentType?.lowercased().hasPrefix("application/json") == true else {
            return await refuse(400, "invalid_request_error", "Content-Type must be application/json")
        }
        if let problem = FakeLLMValidation.problem(json) {
            return await refuse(400, "invalid_request_error", problem)
        }
        var reply = await state.nextReply()
        while case .slow(let delay, let next) = reply {
            try? await Task.sleep(for: delay)
            reply = next
        }
        switch reply {
        case .rateLimited(let seconds):
            return await refuse(429, "rate_limit_exceeded", "Rate limit reached. Please try again later.",
                                headers: [.retryAfter: String(seconds)])
        case .serverError(let status):
            return await refuse(status, "server_error", "The server had an error while processing your request.")
        case .text, .toolCalls, .slow:
            await state.record(FakeLLMRequest(body: json, authorization: authorization, stream: stream, status: 200,
                                              problem: nil, promptTokens: promptTokens))
            let model = json["model"]?.stringValue ?? state.model
            return stream ? FakeLLMEncoding.streamed(reply, model: model, promptTokens: promptTokens)
                          : FakeLLMEncoding.completion(reply, model: model, promptTokens: promptTokens)
        }
    }

    /// About four characters per token, counted over what the model reads: messages and tool schemas.
    static func promptTokens(_ json: FakeJSON) -> Int {
        let text = (json["messages"] ?? .null).description + (json["tools"].map(\.description) ?? "")
        return (text.utf8.count + 3) / 4
    }

    static func error(_ status: Int, type: String, message: String, headers: HTTPFields = [:]) -> Response {
        let body: FakeJSON = .object(["error": .object(["message": .string(message), "type": .string(type),
                                                        "param": .null, "code": .null])])
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.data)))
    }
}
