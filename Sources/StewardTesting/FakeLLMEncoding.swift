import Foundation
import Hummingbird

/// Encodes scripted replies as `chat.completion` objects and `chat.completion.chunk` SSE streams.
enum FakeLLMEncoding {
    static func completion(_ reply: FakeLLMReply, model: String, promptTokens: Int) -> Response {
        let (content, calls) = parts(reply)
        var message: [String: FakeJSON] = ["role": "assistant", "content": content.map(FakeJSON.string) ?? .null]
        if !calls.isEmpty {
            message["tool_calls"] = .array(calls.map { call in
                .object(["id": .string(call.id), "type": "function",
                         "function": .object(["name": .string(call.name), "arguments": .string(call.arguments)])])
            })
        }
        let body: FakeJSON = .object([
            "id": "chatcmpl-fake", "object": "chat.completion", "created": .int(Int64(Date().timeIntervalSince1970)),
            "model": .string(model),
            "choices": .array([.object(["index": 0, "message": .object(message), "logprobs": .null,
                                        "finish_reason": .string(calls.isEmpty ? "stop" : "tool_calls")])]),
            "usage": usage(prompt: promptTokens, reply: reply),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body.data)))
    }

    /// Content in pieces of a few characters; each tool call opens with its id and name and an empty
    /// arguments string, then the arguments follow in fragments (as OpenAI streams them); then the
    /// finish chunk, the usage chunk (empty `choices`), and `data: [DONE]`.
    static func streamed(_ reply: FakeLLMReply, model: String, promptTokens: Int) -> Response {
        let (content, calls) = parts(reply)
        var chunks: [FakeJSON] = [chunk(model, delta: .object(["role": "assistant", "content": ""]))]
        if let content {
            for piece in pieces(content, 6) { chunks.append(chunk(model, delta: .object(["content": .string(piece)]))) }
        }
        for (index, call) in calls.enumerated() {
            chunks.append(chunk(model, delta: .object(["tool_calls": .array([.object([
                "index": .int(Int64(index)), "id": .string(call.id), "type": "function",
                "function": .object(["name": .string(call.name), "arguments": ""]),
            ])])])))
            for piece in pieces(call.arguments, 7) {
                chunks.append(chunk(model, delta: .object(["tool_calls": .array([.object([
                    "index": .int(Int64(index)), "function": .object(["arguments": .string(piece)]),
                ])])])))
            }
        }
        chunks.append(chunk(model, delta: .object([:]), finish: calls.isEmpty ? "stop" : "tool_calls"))
        chunks.append(.object(["id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                               "model": .string(model), "choices": .array([]),
                               "usage": usage(prompt: promptTokens, reply: reply)]))
        var text = ""
        for chunk in chunks { text += "data: \(chunk.description)\n\n" }
        text += "data: [DONE]\n\n"
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func chunk(_ model: String, delta: FakeJSON, finish: String? = nil) -> FakeJSON {
        .object(["id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": .string(model),
                 "choices": .array([.object(["index": 0, "delta": delta, "logprobs": .null,
                                             "finish_reason": finish.map(FakeJSON.string) ?? .null])]),
                 "usage": .null])
    }

    private static func parts(_ reply: FakeLLMReply) -> (String?, [FakeLLMToolCall]) {
        switch reply {
        case .text(let text): (text, [])
        case .toolCalls(let calls): (nil, calls)
        case .slow(_, let next): parts(next)
        default: (nil, [])
        }
    }

    private static func usage(prompt: Int, reply: FakeLLMReply) -> FakeJSON {
        let (content, calls) = parts(reply)
        let written = (content ?? "") + calls.map { $0.name + $0.arguments }.joined()
        let completion = max(1, (written.utf8.count + 3) / 4)
        return .object(["prompt_tokens": .int(Int64(prompt)), "completion_tokens": .int(Int64(completion)),
                        "total_tokens": .int(Int64(prompt + completion))])
    }

    private static func pieces(_ text: String, _ size: Int) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            result.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return result
    }
}
