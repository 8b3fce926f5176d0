import Foundation
import StewardCore

/// A person's memory in a dictionary, for tests that don't need the SQLite store. Search is naive: a
/// fact matches when it shares a word with the query, ranked by how many it shares, newest first among
/// equals (the real store ranks by bm25). Only active facts are ever found.
public actor InMemoryMemory: MemoryRepository {
    private var rows: [MemoryFact.ID: (fact: MemoryFact, embedding: [Float]?)] = [:]
    private var nextID: MemoryFact.ID = 1
    /// Every fact as saved, embedding included, for tests that check what was stored.
    public private(set) var saved: [NewFact] = []

    public init() {}

    public func saveFact(_ fact: NewFact, of user: User.ID, at date: Date) async throws -> MemoryFact {
        if let old = fact.supersedes, fact.status == .active, rows[old]?.fact.userID == user,
           rows[old]?.fact.status == .active {
            rows[old]?.fact.status = .superseded
        }
        let stored = MemoryFact(id: nextID, userID: user, text: fact.text, source: fact.source, reference: fact.reference,
                                status: fact.status, createdAt: date, supersedes: fact.supersedes)
        rows[nextID] = (stored, fact.embedding)
        nextID += 1
        saved.append(fact)
        return stored
    }

    public func fact(id: MemoryFact.ID, of user: User.ID) async throws -> MemoryFact? {
        rows[id].flatMap { $0.fact.userID == user ? $0.fact : nil }
    }

    public func facts(of user: User.ID, statuses: Set<MemoryFact.Status>, limit: Int) async throws -> [MemoryFact] {
        Array(rows.values.map(\.fact).filter { $0.userID == user && statuses.contains($0.status) }
            .sorted { $0.id > $1.id }.prefix(max(0, limit)))
    }

    public func searchFacts(_ query: String, of user: User.ID, limit: Int) async throws -> [MemoryFact] {
        let words = Self.words(query)
        guard !words.isEmpty else { return [] }
        var scored: [(fact: MemoryFact, shared: Int)] = []
        for row in rows.values where row.fact.userID == user && row.fact.status == .active {
            let shared = Self.words(row.fact.text).intersection(words).count
            if shared > 0 { scored.append((row.fact, shared)) }
        }
        scored.sort { $0.shared != $1.shared ? $0.shared > $1.shared : $0.fact.id > $1.fact.id }
        return scored.prefix(max(0, limit)).map(\.fact)
    }

    public func setFactStatus(id: MemoryFact.ID, of user: User.ID, from: MemoryFact.Status,
                              to: MemoryFact.Status) async throws -> Bool {
        guard let row = rows[id], row.fact.userID == user, row.fact.status == from else { return false }
        rows[id]?.fact.status = to
        return true
    }

    public func factEmbeddings(of user: User.ID) async throws -> [(id: MemoryFact.ID, vector: [Float])] {
        rows.values.filter { $0.fact.userID == user && $0.fact.status == .active }
            .compactMap { row in row.embedding.map { (id: row.fact.id, vector: $0) } }
            .sorted { $0.id < $1.id }
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
    }
}
