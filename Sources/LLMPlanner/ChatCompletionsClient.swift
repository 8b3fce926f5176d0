import Foundation
import Logging
import StewardHTTP

/// Where and how to reach an OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server).
public struct LLMEndpoint: Sendable {
    /// `LLM_BASE_URL`, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    public var baseURL: URL
    /// `LLM_API_KEY`; nil or empty = no Authorization header (local servers need none).
    public var apiKey: String?
    public var model: String
    /// The whole exchange, including a streamed body, must finish within this.
    public var timeout: Duration

    public init(baseURL: URL, apiKey: String?, model: String, timeout: Duration = .seconds(60)) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }

    var completionsURL: URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + "/chat/completions")!
    }
}

/// The model as the planner sees it: one request, one response.
public protocol ChatModel: Sendable {
    func complete(_ request: ChatRequest) async throws -> ChatResponse
    /// Streams the answer, calling `progress` as text and tool calls arrive; returns the assembled response.
    func stream(_ request: ChatRequest, progress: @escaping @Sendable (StreamProgress) -> Void) async throws -> ChatResponse
}

/// `POST {LLM_BASE_URL}/chat/completions`, non-streaming and SSE streaming, through the shared pipeline
/// (`RemoteCall`, which sees the endpoint's answers through `classify(_:)`): retries on 429
/// (`Retry-After` wins) and 5xx/timeouts (full-jitter backoff), and a circuit breaker so that while the
/// model is down calls fail at once with `.unavailable` instead of waiting out timeouts.
public struct ChatCompletionsClient: ChatModel {
    public let endpoint: LLMEndpoint
    private let transport: any HTTPTransport
    private let remote: RemoteCall
    private let logger: Logger

    public init(endpoint: LLMEndpoint, transport: any HTTPTransport,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(8)),
                breaker: CircuitBreaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(60)),
                logger: Logger = Logger(label: "steward.llm")) {
        self.endpoint = endpoint
        self.transport = transport
        self.remote = RemoteCall(policy: retry, breaker: breaker)
        self.logger = logger
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let body = try await send(request, stream: false)
        return try Self.parseCompletion(body, key: endpoint.apiKey)
    }

    public func stream(_ request: ChatRequest,
                       progress: @escaping @Sendable (StreamProgress) -> Void) async throws -> ChatResponse {
        let body = try await send(request, stream: true)
        var assembler = StreamAssembler()
        var parser = ServerSentEventParser()
        for event in parser.feed(body) + parser.finish() {
            if try assembler.consume(event) { progress(assembler.progress) }
        }
        return try assembler.response()
    }

    /// Sends through the pipeline (retries, the breaker); returns the body of a 2xx response.
    private func send(_ request: ChatRequest, stream: Bool) async throws -> Data {
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: "application/json"),
            (name: "Accept", value: stream ? "text/event-stream" : "application/json"),
        ]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append((name: "Authorization", value: "Bearer \(key)")) }
        let spec = HTTPRequestSpec(method: "POST", url: endpoint.completionsURL, headers: headers,
                                   body: request.body(model: endpoint.model, stream: stream).data,
                                   timeout: endpoint.timeout)
        let key = endpoint.apiKey
        do {
            return try await remote.run(classify: Self.classify, whenOpen: {
                LLMError(.unavailable, "the model failed repeatedly; not calling it again until its cool-down has passed")
            }) { _ in
                let response = try await transport.send(spec)
                guard (200..<300).contains(response.status) else { throw Refusal(response: response) }
                return response.body
            }
        } catch let error as LLMError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let refusal as Refusal where !(Self.classify(refusal)?.isRetryable ?? true) {
            let error = LLMError(.rejected(status: refusal.response.status), Self.errorMessage(refusal.response.body).redacting(key))
            logger.warning("model request refused", metadata: ["error": "\(error)"])
            throw error
        } catch {
            let detail = "\(error)".redacting(key)
            logger.warning("model unavailable", metadata: ["error": "\(detail)"])
            throw LLMError(.unavailable, detail)
        }
    }

    /// A non-2xx answer, kept whole for classification and for the refusal's message.
    private struct Refusal: Error, CustomStringConvertible {
        var response: HTTPResponseSpec
        var description: String { "HTTP \(response.status)" }
    }

    /// The endpoint's answers in the pipeline's shared classes: 429 (with its `Retry-After`), 408 and
    /// 5xx are worth retrying, other 4xx are refusals; a failure without an answer is a timeout or the
    /// network.
    public static func classify(_ error: any Error) -> RemoteFailure? {
        if let refusal = error as? Refusal { return classify(response: refusal.response) }
        return RemoteFailure.from(transportError: error)
    }

    /// One answer's class: nil for a 2xx.
    public static func classify(response: HTTPResponseSpec) -> RemoteFailure? {
        guard !(200..<300).contains(response.status) else { return nil }
        return (RemoteFailure.from(response) ?? .rejected).with(detail: "HTTP \(response.status)")
    }

    /// The documented error body is `{"error": {"message": …}}`; anything else is cut short.
    static func errorMessage(_ body: Data) -> String {
        if let message = JSONValue.parse(body)?["error"]?["message"]?.stringValue { return String(message.prefix(300)) }
        return String(String(decoding: body, as: UTF8.self).prefix(200))
    }

    static func parseCompletion(_ body: Data, key: String?) throws -> ChatResponse {
        guard let root = JSONValue.parse(body), let choice = root["choices"]?.arrayValue?.first,
              let message = choice["message"] else {
            throw LLMError(.malformedResponse, "no choices[0].message in \(String(decoding: body.prefix(200), as: UTF8.self).redacting(key))")
        }
        var calls: [ToolCall] = []
        for (index, raw) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let function = raw["function"], let name = function["name"]?.stringValue else {
                throw LLMError(.malformedResponse, "a tool call without function.name")
            }
            calls.append(ToolCall(id: raw["id"]?.stringValue ?? "call_\(index)", name: name,
                                  arguments: Self.argumentsText(function["arguments"])))
        }
        return ChatResponse(content: message["content"]?.stringValue, toolCalls: calls,
                            finishReason: choice["finish_reason"]?.stringValue, usage: usage(root["usage"]))
    }

    /// Arguments are documented as a JSON string; some local servers send an object. Either way the
    /// planner gets text to validate.
    static func argumentsText(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case nil, .null?: ""
        case let other?: other.text
        }
    }

    static func usage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, let prompt = value["prompt_tokens"]?.intValue else { return nil }
        return TokenUsage(promptTokens: Int(prompt), completionTokens: Int(value["completion_tokens"]?.intValue ?? 0))
    }
}
