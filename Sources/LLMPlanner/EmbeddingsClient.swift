import Foundation
import Logging
import StewardHTTP

/// Turns text into a vector for memory search.
public protocol TextEmbedder: Sendable {
    func embed(_ text: String) async throws -> [Float]
}

/// `POST {LLM_BASE_URL}/embeddings` with `{model, input, encoding_format: "float"}` → `data[0].embedding`
/// (OpenAI's API reference, "Create embeddings"; Ollama, vLLM and llama.cpp serve the same shape), through
/// the shared pipeline: retries on 429 and 5xx, a circuit breaker so a dead endpoint fails at once.
public struct EmbeddingsClient: TextEmbedder {
    public let endpoint: LLMEndpoint
    private let transport: any HTTPTransport
    private let remote: RemoteCall
    /// Inputs longer than this are cut (facts are short; a query is a message).
    public static let maxInputCharacters = 4_000
    /// Vectors longer than this are refused as malformed (the largest common models use 3,072).
    public static let maxDimensions = 8_192

    /// `endpoint.model` is the embeddings model (`LLM_EMBEDDINGS_MODEL`).
    public init(endpoint: LLMEndpoint, transport: any HTTPTransport,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(300), maxDelay: .seconds(2)),
                breaker: CircuitBreaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(60))) {
        self.endpoint = endpoint
        self.transport = transport
        self.remote = RemoteCall(policy: retry, breaker: breaker)
    }

    var url: URL {
        var base = endpoint.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + "/embeddings")!
    }

    public func embed(_ text: String) async throws -> [Float] {
        let input = String(text.prefix(Self.maxInputCharacters))
        guard !input.isEmpty else { throw LLMError(.malformedResponse, "nothing to embed") }
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/json"),
                                                        (name: "Accept", value: "application/json")]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append((name: "Authorization", value: "Bearer \(key)")) }
        let body: JSONValue = ["model": .string(endpoint.model), "input": .string(input), "encoding_format": "float"]
        let spec = HTTPRequestSpec(method: "POST", url: url, headers: headers, body: body.data, timeout: endpoint.timeout)
        let data: Data
        do {
            data = try await remote.run(classify: Self.classify, whenOpen: {
                LLMError(.unavailable, "the embeddings endpoint failed repeatedly; not calling it until its cool-down has passed")
            }) { _ in
                let response = try await transport.send(spec)
                guard (200..<300).contains(response.status) else { throw Refusal(response: response) }
                return response.body
            }
        } catch let refusal as Refusal {
            throw LLMError(.rejected(status: refusal.response.status),
                           ChatCompletionsClient.errorMessage(refusal.response.body).redacting(endpoint.apiKey))
        } catch let error as LLMError {
            throw error
        } catch {
            throw LLMError(.unavailable, "\(error)".redacting(endpoint.apiKey))
        }
        return try Self.vector(data)
    }

    /// A non-2xx answer, kept for classification and the error's message.
    private struct Refusal: Error {
        var response: HTTPResponseSpec
    }

    private static func classify(_ error: any Error) -> RemoteFailure? {
        if let refusal = error as? Refusal { return ChatCompletionsClient.classify(response: refusal.response) }
        return RemoteFailure.from(transportError: error)
    }

    /// `data[0].embedding` as floats; anything else is malformed.
    static func vector(_ body: Data) throws -> [Float] {
        guard let values = JSONValue.parse(body)?["data"]?.arrayValue?.first?["embedding"]?.arrayValue,
              !values.isEmpty, values.count <= maxDimensions else {
            throw LLMError(.malformedResponse, "no data[0].embedding in the embeddings answer")
        }
        return try values.map { value in
            guard let number = value.numberValue, number.isFinite else {
                throw LLMError(.malformedResponse, "a non-number in data[0].embedding")
            }
            return Float(number)
        }
    }
}
