import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// `LLM_EMBEDDINGS_MODEL`: optional, on the model's own endpoint; without an endpoint it stops start-up with
/// one line naming the key that is missing; with one, memory is searched by meaning as well.
@Suite struct EmbeddingsConfigurationTests {
    @Test func anEmbeddingsModelWithoutAnEndpointNamesTheMissingKey() {
        let error = #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: ["LLM_EMBEDDINGS_MODEL": "text-embedding-3-small"], envFile: nil)
        }
        #expect(error?.key == "LLM_BASE_URL")
        #expect(error?.description.contains("LLM_EMBEDDINGS_MODEL") == true)
    }

    @Test func theModelOnTheEndpointMakesMemorySearchByMeaning() throws {
        let plain = try Configuration.load(environment: ["LLM_BASE_URL": "http://127.0.0.1:11434/v1", "LLM_MODEL": "llama3.1"],
                                           envFile: nil)
        #expect(plain.llmEmbeddingsModel == nil)
        #expect(plain.redactedSummary().contains { $0.contains("LLM_EMBEDDINGS_MODEL") && $0.contains("memory search is full-text only") })
        let memory = InMemoryMemory()
        #expect(ModelParts.memory(memory, configuration: plain, http: NoTransport(), logger: .init(label: "t")) is InMemoryMemory)

        var embedded = plain
        embedded.llmEmbeddingsModel = "nomic-embed-text"
        #expect(ModelParts.memory(memory, configuration: embedded, http: NoTransport(), logger: .init(label: "t")) is EmbeddedMemory)
    }
}

/// A transport that is never reached: these tests only build the memory, they don't search.
private struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        throw CancellationError()
    }
}
