import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// With `LLM_EMBEDDINGS_MODEL`, facts are embedded when saved through the endpoint's `/embeddings`, and
/// search fuses full text with meaning; the endpoint failing never loses a fact.
@Suite struct MemoryEmbeddingsTests {
    static func withMemory(_ body: (EmbeddedMemory, InMemoryMemory, FakeLLMServer) async throws -> Void) async throws {
        try await withFakeModel { server, transport in
            let store = InMemoryMemory()
            let embedder = EmbeddingsClient(endpoint: LLMEndpoint(baseURL: try await server.baseURL, apiKey: nil,
                                                                  model: "fake-embed", timeout: .seconds(30)),
                                            transport: transport,
                                            retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)))
            try await body(EmbeddedMemory(store: store, embedder: embedder, logger: Logger(label: "test")), store, server)
        }
    }

    static let now = Date(timeIntervalSince1970: 1_795_078_800)

    @Test func aFactIsEmbeddedWhenSavedWithTheDocumentedRequest() async throws {
        try await Self.withMemory { memory, store, server in
            _ = try await memory.saveFact(NewFact(text: "parks the automobile in bay 4", source: .owner, status: .active),
                                          of: 1, at: Self.now)
            let sent = try #require(await server.state.embeddingRequests.first)
            #expect(sent.status == 200 && sent.problem == nil)
            #expect(sent.body["model"] == .string("fake-embed"))
            #expect(sent.body["input"] == .string("parks the automobile in bay 4"))
            #expect(sent.body["encoding_format"] == .string("float"))
            let stored = try #require(await store.saved.first?.embedding)
            #expect(stored == FakeEmbeddings.vector("parks the automobile in bay 4"))
        }
    }

    @Test func searchFindsAFactByMeaningThatSharesNoWordWithTheQuery() async throws {
        try await Self.withMemory { memory, _, _ in
            let byMeaning = try await memory.saveFact(NewFact(text: "parks the automobile in bay 4", source: .owner,
                                                              status: .active), of: 1, at: Self.now)
            let byBoth = try await memory.saveFact(NewFact(text: "car insurance renews in May", source: .owner,
                                                           status: .active), of: 1, at: Self.now)
            _ = try await memory.saveFact(NewFact(text: "the cat is called Miso", source: .owner, status: .active),
                                          of: 1, at: Self.now)
            let found = try await memory.searchFacts("car", of: 1, limit: 5).map(\.id)
            #expect(found == [byBoth.id, byMeaning.id], "the word match first, the synonym after, the cat not at all")
            #expect(try await memory.searchFacts("car", of: 2, limit: 5).isEmpty, "another person's facts never")
        }
    }

    @Test func whenTheEndpointIsDownTheFactIsStillSavedAndFoundByItsWords() async throws {
        try await Self.withMemory { memory, store, server in
            await server.state.setEmbeddingsFailure(503)
            let fact = try await memory.saveFact(NewFact(text: "car insurance renews in May", source: .owner, status: .active),
                                                 of: 1, at: Self.now)
            #expect(try await store.fact(id: fact.id, of: 1)?.status == .active)
            #expect(await store.saved.first?.embedding == nil)
            #expect(try await memory.searchFacts("insurance", of: 1, limit: 5).map(\.id) == [fact.id])
        }
    }

    @Test func fusionRanksByReciprocalRank() {
        // 1: first in words, third by meaning (1/61 + 1/63) just ahead of 3, second in both (2/62);
        // 2 is only first by meaning (1/61).
        #expect(MemoryRanking.fuse([[1, 3], [2, 3, 1]]) == [1, 3, 2])
        #expect(MemoryRanking.cosine([1, 0], [0, 1]) == 0 && MemoryRanking.cosine([1, 2], [2, 4]) > 0.999)
        #expect(MemoryRanking.cosine([1, 2], [1]) == 0, "vectors from another model are not compared")
    }
}
