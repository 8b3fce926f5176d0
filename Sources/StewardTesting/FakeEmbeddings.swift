import Foundation
import Hummingbird

/// The fake's `POST /v1/embeddings`, written from OpenAI's API reference ("Create embeddings"): the body
/// must be `{model, input}` with `input` a non-empty string (or array of them) and `encoding_format`, when
/// given, `float` or `base64`; the answer is `{object: "list", data: [{object: "embedding", index, embedding}],
/// model, usage}`. Vectors are deterministic: a hashed bag of words over 64 dimensions, with a few groups of
/// synonyms folded onto one word, so a test can find a fact by meaning that shares no word with the query.
public enum FakeEmbeddings {
    static let dimensions = 64
    /// Words of the same meaning, folded onto the first.
    static let synonyms: [[String]] = [
        ["car", "automobile", "vehicle", "auto"],
        ["doctor", "physician", "gp", "dentist"],
        ["child", "kid", "kids", "children", "daughter", "son"],
        ["vegetarian", "veggie", "meatless"],
        ["flight", "plane", "airline", "flying"],
    ]
    static let ignored: Set<String> = ["the", "and", "for", "what", "which", "who", "how", "does", "did", "with",
                                       "about", "that", "this", "owner", "user", "my", "is", "a", "an", "of"]

    static func respond(body: Data, contentType: String?, authorization: String?, state: FakeLLMState) async -> Response {
        let json = FakeJSON.parse(body) ?? .null
        func answer(_ status: Int, problem: String? = nil) async {
            await state.recordEmbedding(FakeLLMRequest(body: json, authorization: authorization, stream: false, status: status,
                                                       problem: problem, promptTokens: 0))
        }
        if let key = state.requiredKey, authorization != "Bearer \(key)" {
            await answer(401)
            return FakeLLMServer.error(401, type: "invalid_request_error", message: "Incorrect API key provided.")
        }
        if let problem = problem(json, contentType: contentType) {
            await answer(400, problem: problem)
            return FakeLLMServer.error(400, type: "invalid_request_error", message: problem)
        }
        if let status = await state.embeddingsFailure {
            await answer(status)
            return FakeLLMServer.error(status, type: "server_error", message: "The server had an error while processing your request.")
        }
        await answer(200)
        let inputs = json["input"]?.stringValue.map { [$0] } ?? (json["input"]?.arrayValue ?? []).compactMap(\.stringValue)
        let data = inputs.enumerated().map { index, text -> FakeJSON in
            .object(["object": .string("embedding"), "index": .int(Int64(index)),
                     "embedding": .array(vector(text).map { .double(Double($0)) })])
        }
        let tokens = inputs.reduce(0) { $0 + ($1.utf8.count + 3) / 4 }
        let reply: FakeJSON = .object(["object": .string("list"), "data": .array(data),
                                       "model": json["model"] ?? .null,
                                       "usage": .object(["prompt_tokens": .int(Int64(tokens)), "total_tokens": .int(Int64(tokens))])])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.data)))
    }

    /// What the API would refuse, as its `error.message` would say; nil when the request has the documented shape.
    static func problem(_ json: FakeJSON, contentType: String?) -> String? {
        guard contentType?.lowercased().hasPrefix("application/json") == true else { return "Content-Type must be application/json" }
        guard case .string(let model)? = json["model"], !model.isEmpty else { return "'model' is required" }
        switch json["input"] {
        case .string(let text)? where !text.isEmpty: break
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ ($0.stringValue ?? "").isEmpty == false }): break
        default: return "'input' must be a non-empty string or a non-empty array of non-empty strings"
        }
        if let format = json["encoding_format"], format != .string("float"), format != .string("base64") {
            return "'encoding_format' must be float or base64"
        }
        return nil
    }

    /// The deterministic vector of `text`.
    public static func vector(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimensions)
        for word in words(text) { vector[Int(fnv1a(word) % UInt64(dimensions))] += 1 }
        return vector
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            .filter { $0.count > 1 && !ignored.contains($0) }
            .map { word in synonyms.first { $0.contains(word) }?.first ?? word }
    }

    /// FNV-1a, 64-bit: the same in every process (Swift's `hashValue` is seeded per run).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
