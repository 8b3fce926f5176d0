import Foundation
import LLMPlanner
import Logging
import StewardCore

/// Memory that also searches by meaning (`LLM_EMBEDDINGS_MODEL`): each fact is embedded when it is saved,
/// and a search fuses the store's full-text ranking (bm25) with cosine similarity to the query's embedding
/// by reciprocal rank fusion. The embeddings endpoint is never needed to keep a fact: when it fails, the
/// fact is saved without a vector (logged) and search falls back to full text. Reading and listing never
/// call it.
struct EmbeddedMemory: MemoryRepository {
    let store: any MemoryRepository
    let embedder: any TextEmbedder
    let logger: Logger
    /// False for the chat commands (`/memory <words>`, `/remember`'s contradiction check): what a person
    /// reads of their memory never waits on a model call, so their searches stay full-text. True for the
    /// planner, whose turn is a model call already.
    var searchesByMeaning = true
    /// How many facts each ranking contributes before fusing.
    static let candidates = 50
    /// Below this cosine similarity a fact is not "about" the query at all, however the vectors rank.
    static let minimumSimilarity: Float = 0.3

    func saveFact(_ fact: NewFact, of user: User.ID, at date: Date) async throws -> MemoryFact {
        var fact = fact
        if fact.embedding == nil {
            do {
                fact.embedding = try await embedder.embed(fact.text)
            } catch {
                logger.warning("fact saved without an embedding: the embeddings endpoint failed",
                               metadata: ["error": "\(error)"])
            }
        }
        return try await store.saveFact(fact, of: user, at: date)
    }

    func searchFacts(_ query: String, of user: User.ID, limit: Int) async throws -> [MemoryFact] {
        guard limit > 0 else { return [] }
        guard searchesByMeaning else { return try await store.searchFacts(query, of: user, limit: limit) }
        let byWords = try await store.searchFacts(query, of: user, limit: max(limit, Self.candidates))
        let stored = try await store.factEmbeddings(of: user)
        guard !stored.isEmpty, !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Array(byWords.prefix(limit))
        }
        let vector: [Float]
        do {
            vector = try await embedder.embed(query)
        } catch {
            logger.info("memory search by words only: the embeddings endpoint failed", metadata: ["error": "\(error)"])
            return Array(byWords.prefix(limit))
        }
        let byMeaning = MemoryRanking.byMeaning(vector, stored, minimum: Self.minimumSimilarity).prefix(Self.candidates)
        let known = Dictionary(byWords.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [MemoryFact] = []
        for id in MemoryRanking.fuse([byWords.map(\.id), Array(byMeaning)]) where found.count < limit {
            // A fact found by meaning alone is read from the store (still only the person's active facts).
            let fact = if let known = known[id] { known } else { try await store.fact(id: id, of: user) }
            if let fact, fact.status == .active { found.append(fact) }
        }
        return found
    }

    func fact(id: MemoryFact.ID, of user: User.ID) async throws -> MemoryFact? {
        try await store.fact(id: id, of: user)
    }

    func facts(of user: User.ID, statuses: Set<MemoryFact.Status>, limit: Int) async throws -> [MemoryFact] {
        try await store.facts(of: user, statuses: statuses, limit: limit)
    }

    func setFactStatus(id: MemoryFact.ID, of user: User.ID, from: MemoryFact.Status,
                       to: MemoryFact.Status) async throws -> Bool {
        try await store.setFactStatus(id: id, of: user, from: from, to: to)
    }

    func factEmbeddings(of user: User.ID) async throws -> [(id: MemoryFact.ID, vector: [Float])] {
        try await store.factEmbeddings(of: user)
    }
}
