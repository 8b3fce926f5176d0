import Foundation

/// One scripted answer of the fake model.
public indirect enum FakeLLMReply: Sendable, Equatable {
    /// A plain answer (`finish_reason: stop`).
    case text(String)
    /// One or more tool calls in one turn (`finish_reason: tool_calls`); arguments are sent verbatim,
    /// so a script can send malformed JSON or unknown tool names.
    case toolCalls([FakeLLMToolCall])
    /// HTTP 429 with `Retry-After: seconds` and the documented error body.
    case rateLimited(retryAfterSeconds: Int)
    /// HTTP 5xx with the documented error body.
    case serverError(status: Int)
    /// Waits before answering with `reply`.
    case slow(Duration, FakeLLMReply)
}

public struct FakeLLMToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One request the fake received, whatever became of it.
public struct FakeLLMRequest: Sendable {
    public var body: FakeJSON
    /// The `Authorization` header as sent (nil when absent).
    public var authorization: String?
    public var stream: Bool
    public var status: Int
    /// Why the request was refused as malformed (a 400), nil when it had the documented shape.
    public var problem: String?
    /// The prompt tokens the fake reported (JSON characters of messages and tools / 4).
    public var promptTokens: Int

    public var messages: [FakeJSON] { body["messages"]?.arrayValue ?? [] }
    public var toolNames: [String] {
        (body["tools"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue }
    }
}

/// The fake's script and request log.
public actor FakeLLMState {
    /// When set, requests must carry `Authorization: Bearer <key>` (OpenAI); nil accepts any (Ollama).
    public let requiredKey: String?
    public let model: String
    private var script: [FakeLLMReply] = []
    private var fallback: FakeLLMReply?
    public private(set) var requests: [FakeLLMRequest] = []
    /// Every `/embeddings` request, whatever became of it (see `FakeEmbeddings`).
    public private(set) var embeddingRequests: [FakeLLMRequest] = []
    /// When set, `/embeddings` answers with this status and the documented error body (the endpoint is down).
    public var embeddingsFailure: Int?

    public func setEmbeddingsFailure(_ status: Int?) { embeddingsFailure = status }
    func recordEmbedding(_ request: FakeLLMRequest) { embeddingRequests.append(request) }

    init(requiredKey: String?, model: String) {
        self.requiredKey = requiredKey
        self.model = model
    }

    /// Appends replies, played one per request in order.
    public func enqueue(_ replies: FakeLLMReply...) { script += replies }
    public func enqueue(contentsOf replies: [FakeLLMReply]) { script += replies }

    /// What to answer once the script is used up (nil: a 500 saying so).
    public func setFallback(_ reply: FakeLLMReply?) { fallback = reply }

    public var remainingReplies: Int { script.count }

    func record(_ request: FakeLLMRequest) { requests.append(request) }

    func nextReply() -> FakeLLMReply {
        if !script.isEmpty { return script.removeFirst() }
        return fallback ?? .serverError(status: 500)
    }
}
