import Foundation

/// Checks a chat-completions request body against the documented shape (OpenAI API reference,
/// "Create chat completion"); returns the problem, as the API's `error.message` would, or nil.
enum FakeLLMValidation {
    static func problem(_ body: FakeJSON) -> String? {
        guard case .object(let root) = body else { return "the body must be a JSON object" }
        guard case .string(let model)? = root["model"], !model.isEmpty else { return "'model' is required" }
        guard case .array(let messages)? = root["messages"], !messages.isEmpty else {
            return "'messages' must be a non-empty array"
        }
        if let problem = messagesProblem(messages) { return problem }
        var toolNames: Set<String> = []
        if let tools = root["tools"] {
            guard case .array(let list) = tools, !list.isEmpty else { return "'tools' must be a non-empty array" }
            for (index, tool) in list.enumerated() {
                guard case .string("function")? = tool["type"], let function = tool["function"],
                      case .string(let name)? = function["name"] else {
                    return "tools[\(index)] must be {type: function, function: {name, …}}"
                }
                guard name.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil else {
                    return "tools[\(index)].function.name must match ^[a-zA-Z0-9_-]{1,64}$"
                }
                if let description = function["description"], case .string = description {} else if function["description"] != nil {
                    return "tools[\(index)].function.description must be a string"
                }
                if let parameters = function["parameters"] {
                    guard case .string("object")? = parameters["type"] else {
                        return "tools[\(index)].function.parameters must be a JSON Schema of type object"
                    }
                }
                toolNames.insert(name)
            }
        }
        if let choice = root["tool_choice"] {
            guard root["tools"] != nil else { return "'tool_choice' is only allowed when 'tools' are specified" }
            switch choice {
            case .string(let value) where ["none", "auto", "required"].contains(value): break
            case .object:
                guard case .string(let name)? = choice["function"]?["name"], toolNames.contains(name) else {
                    return "tool_choice names a function that is not in 'tools'"
                }
            default: return "'tool_choice' must be none, auto, required or a named function"
            }
        }
        let stream: Bool
        switch root["stream"] {
        case nil, .null?: stream = false
        case .bool(let value)?: stream = value
        default: return "'stream' must be a boolean"
        }
        if let options = root["stream_options"], options != .null {
            guard stream else { return "'stream_options' is only allowed when 'stream' is true" }
            guard case .bool? = options["include_usage"] else { return "stream_options.include_usage must be a boolean" }
        }
        // Steward's own contract (DESIGN.md): every streamed token is counted.
        if stream, root["stream_options"]?["include_usage"] != .bool(true) {
            return "streaming requests must ask for stream_options.include_usage"
        }
        if let maxTokens = root["max_tokens"], case .int(let value) = maxTokens, value < 1 {
            return "'max_tokens' must be at least 1"
        }
        return nil
    }

    /// Roles, contents, and tool messages answering calls of the assistant message before them.
    private static func messagesProblem(_ messages: [FakeJSON]) -> String? {
        var seenCallIDs: Set<String> = []
        var unanswered: [String] = []
        for (index, message) in messages.enumerated() {
            guard case .string(let role)? = message["role"] else { return "messages[\(index)].role is required" }
            if !unanswered.isEmpty && role != "tool" {
                return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. Missing: \(unanswered.joined(separator: ", "))"
            }
            switch role {
            case "system", "developer", "user":
                guard case .string? = message["content"] else { return "messages[\(index)].content must be a string" }
            case "assistant":
                let calls = message["tool_calls"]?.arrayValue ?? []
                switch message["content"] {
                case .string?: break
                case nil, .null?: if calls.isEmpty { return "messages[\(index)]: an assistant message needs content or tool_calls" }
                default: return "messages[\(index)].content must be a string or null"
                }
                for (position, call) in calls.enumerated() {
                    guard case .string(let id)? = call["id"], case .string("function")? = call["type"],
                          case .string? = call["function"]?["name"], case .string? = call["function"]?["arguments"] else {
                        return "messages[\(index)].tool_calls[\(position)] must be {id, type: function, function: {name, arguments: string}}"
                    }
                    seenCallIDs.insert(id)
                    unanswered.append(id)
                }
            case "tool":
                guard case .string(let id)? = message["tool_call_id"] else { return "messages[\(index)].tool_call_id is required" }
                guard unanswered.contains(id) else {
                    return seenCallIDs.contains(id)
                        ? "messages[\(index)]: '\(id)' was already answered"
                        : "messages[\(index)]: tool message answers '\(id)', which the preceding assistant message did not call"
                }
                guard case .string? = message["content"] else { return "messages[\(index)].content must be a string" }
                unanswered.removeAll { $0 == id }
            default:
                return "messages[\(index)].role '\(role)' is not one of system, developer, user, assistant, tool"
            }
        }
        if !unanswered.isEmpty { return "tool calls without tool messages: \(unanswered.joined(separator: ", "))" }
        return nil
    }
}
