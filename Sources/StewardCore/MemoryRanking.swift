import Foundation

/// Ranking memory by meaning beside full-text search: cosine similarity of embeddings, and reciprocal rank
/// fusion of the two rankings. Pure, so search stays testable without a model.
public enum MemoryRanking {
    /// RRF's constant: 60, as in Cormack, Clarke and Büttcher (2009); it keeps one list's top rank from
    /// drowning the other list.
    public static let fusionK = 60.0

    /// Ids of `stored` by cosine similarity to `query`, best first, keeping only those at least
    /// `minimum` similar (a vector ranking otherwise ranks every fact, relevant or not); ties: newest id first.
    public static func byMeaning(_ query: [Float], _ stored: [(id: MemoryFact.ID, vector: [Float])],
                                 minimum: Float) -> [MemoryFact.ID] {
        stored.compactMap { row -> (MemoryFact.ID, Float)? in
            let similarity = cosine(query, row.vector)
            return similarity >= minimum ? (row.id, similarity) : nil
        }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 > $1.0 }
        .map(\.0)
    }

    /// Cosine similarity; 0 for vectors of different lengths or a zero vector (a model change between saves).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot: Float = 0, normA: Float = 0, normB: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        guard normA > 0, normB > 0 else { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    /// Reciprocal rank fusion: each id scores Σ 1 / (k + rank) over the lists it is in (rank from 1); best
    /// first, ties broken by the first list's order, then the newest id.
    public static func fuse(_ rankings: [[MemoryFact.ID]], k: Double = fusionK) -> [MemoryFact.ID] {
        var score: [MemoryFact.ID: Double] = [:]
        var firstSeen: [MemoryFact.ID: Int] = [:]
        var position = 0
        for ranking in rankings {
            for (index, id) in ranking.enumerated() {
                score[id, default: 0] += 1 / (k + Double(index + 1))
                if firstSeen[id] == nil { firstSeen[id] = position }
                position += 1
            }
        }
        return score.keys.sorted { one, other in
            let (a, b) = (score[one]!, score[other]!)
            if a != b { return a > b }
            if firstSeen[one]! != firstSeen[other]! { return firstSeen[one]! < firstSeen[other]! }
            return one > other
        }
    }
}
