import Foundation

/// Splits a `text/event-stream` body into events' `data` fields. Incremental (bytes may arrive split
/// anywhere), tolerant of CRLF and comment lines; multi-line `data:` fields are joined with newlines.
struct ServerSentEventParser {
    private var buffer = Data()
    private var dataLines: [String] = []

    mutating func feed(_ bytes: Data) -> [String] {
        buffer.append(bytes)
        var events: [String] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if let event = take(line) { events.append(event) }
        }
        return events
    }

    /// Ends the stream: a last event not followed by a blank line still counts.
    mutating func finish() -> [String] {
        var events: [String] = []
        if !buffer.isEmpty {
            let line = String(decoding: buffer, as: UTF8.self)
            buffer.removeAll()
            if let event = take(line) { events.append(event) }
        }
        if let event = take("") { events.append(event) }
        return events
    }

    private mutating func take(_ line: String) -> String? {
        if line.isEmpty {
            guard !dataLines.isEmpty else { return nil }
            defer { dataLines.removeAll() }
            return dataLines.joined(separator: "\n")
        }
        if line.hasPrefix(":") { return nil }  // a comment / keep-alive
        if line.hasPrefix("data:") {
            var value = line.dropFirst(5)
            if value.hasPrefix(" ") { value = value.dropFirst() }
            dataLines.append(String(value))
        }
        return nil  // event:, id:, retry: carry nothing the planner needs
    }
}

/// Assembles `chat.completion.chunk`s into one response: content deltas appended, tool calls merged
/// by `index` (id and name arrive first, the arguments string in fragments), the `usage` chunk read.
struct StreamAssembler {
    private var text = ""
    private var sawText = false
    private var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
    private var finishReason: String?
    private var usage: TokenUsage?
    private(set) var done = false

    var progress: StreamProgress {
        StreamProgress(text: text, toolNames: calls.keys.sorted().compactMap { calls[$0]?.name }.filter { !$0.isEmpty })
    }

    /// Takes one event's data; true when the visible progress changed.
    mutating func consume(_ data: String) throws -> Bool {
        if data == "[DONE]" {
            done = true
            return false
        }
        guard let chunk = JSONValue.parse(data) else {
            throw LLMError(.malformedResponse, "a stream chunk that is not JSON")
        }
        if let error = chunk["error"], error != .null {
            throw LLMError(.unavailable, "the stream ended with an error: \(error["message"]?.stringValue ?? "")")
        }
        if let usage = ChatCompletionsClient.usage(chunk["usage"]) { self.usage = usage }
        var changed = false
        for choice in chunk["choices"]?.arrayValue ?? [] where (choice["index"]?.intValue ?? 0) == 0 {
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
            guard let delta = choice["delta"] else { continue }
            if let piece = delta["content"]?.stringValue, !piece.isEmpty {
                text += piece
                sawText = true
                changed = true
            }
            for (position, raw) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                let index = Int(raw["index"]?.intValue ?? Int64(position))
                var call = calls[index] ?? (id: nil, name: "", arguments: "")
                if let id = raw["id"]?.stringValue, !id.isEmpty { call.id = id }
                if let name = raw["function"]?["name"]?.stringValue, !name.isEmpty {
                    // The name comes whole in the call's first fragment; later fragments repeat it or omit it.
                    if call.name.isEmpty { call.name = name; changed = true }
                }
                call.arguments += ChatCompletionsClient.argumentsText(raw["function"]?["arguments"])
                calls[index] = call
            }
        }
        return changed
    }

    func response() throws -> ChatResponse {
        let toolCalls = calls.keys.sorted().map { index in
            let call = calls[index]!
            return ToolCall(id: call.id ?? "call_\(index)", name: call.name, arguments: call.arguments)
        }
        if !done && finishReason == nil {
            throw LLMError(.unavailable, "the stream stopped before it was complete")
        }
        return ChatResponse(content: sawText ? text : nil, toolCalls: toolCalls, finishReason: finishReason, usage: usage)
    }
}
