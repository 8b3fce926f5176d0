import Foundation

/// One message of a chat-completions conversation, in the roles the API documents.
public struct ChatMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case system, user, assistant, tool
    }

    public var role: Role
    /// Nil only for an assistant message that carries tool calls and no text.
    public var content: String?
    /// The calls an assistant message made.
    public var toolCalls: [ToolCall]
    /// For a `tool` message: the id of the call it answers.
    public var toolCallID: String?

    public init(role: Role, content: String?, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { .init(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { .init(role: .user, content: text) }
    public static func assistant(_ text: String?, toolCalls: [ToolCall] = []) -> ChatMessage {
        .init(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func tool(callID: String, _ text: String) -> ChatMessage {
        .init(role: .tool, content: text, toolCallID: callID)
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["role": .string(role.rawValue)]
        object["content"] = content.map(JSONValue.string) ?? .null
        if !toolCalls.isEmpty { object["tool_calls"] = .array(toolCalls.map(\.json)) }
        if let toolCallID { object["tool_call_id"] = .string(toolCallID) }
        return .object(object)
    }
}

/// A function call the model asked for. `arguments` is the raw JSON text the model wrote: it is
/// validated against the tool's schema before anything uses it.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    var json: JSONValue {
        ["id": .string(id), "type": "function",
         "function": ["name": .string(name), "arguments": .string(arguments)]]
    }
}

/// A tool as the API describes it: `{"type": "function", "function": {name, description, parameters}}`.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    var json: JSONValue {
        ["type": "function",
         "function": ["name": .string(name), "description": .string(description), "parameters": parameters]]
    }
}

public enum ToolChoice: Sendable, Hashable {
    case auto, none, required
    case function(String)

    var json: JSONValue {
        switch self {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .function(let name): ["type": "function", "function": ["name": .string(name)]]
        }
    }
}

/// What one call of the model costs, from the response's `usage`.
public struct TokenUsage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public static let zero = TokenUsage()

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens,
                   completionTokens: lhs.completionTokens + rhs.completionTokens)
    }
}

public struct ChatRequest: Sendable {
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    /// Caps the completion; nil = the server's default.
    public var maxTokens: Int?

    public init(messages: [ChatMessage], tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil,
                maxTokens: Int? = nil) {
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.maxTokens = maxTokens
    }

    /// The documented request body. `tool_choice` only goes with `tools` (the API rejects it alone).
    func body(model: String, stream: Bool) -> JSONValue {
        var object: [String: JSONValue] = ["model": .string(model), "messages": .array(messages.map(\.json))]
        if !tools.isEmpty {
            object["tools"] = .array(tools.map(\.json))
            object["tool_choice"] = (toolChoice ?? .auto).json
        }
        if let maxTokens { object["max_tokens"] = .int(Int64(maxTokens)) }
        if stream {
            object["stream"] = true
            // Without this a stream carries no usage and its tokens could not be counted.
            object["stream_options"] = ["include_usage": true]
        }
        return .object(object)
    }
}

public struct ChatResponse: Sendable, Hashable {
    public var content: String?
    public var toolCalls: [ToolCall]
    public var finishReason: String?
    /// Nil when the server sent none (then the caller estimates).
    public var usage: TokenUsage?

    public init(content: String?, toolCalls: [ToolCall] = [], finishReason: String? = nil, usage: TokenUsage? = nil) {
        self.content = content
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// What a stream has produced so far, for a "working…" message.
public struct StreamProgress: Sendable, Hashable {
    public var text: String
    /// Names of the tools the model has started to call.
    public var toolNames: [String]
}
