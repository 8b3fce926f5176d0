import Foundation
import GRDB
import StewardCore

/// Memory (issue 16): a person's facts, searched through the `facts_fts` full-text index (FTS5, bm25).
/// The index holds the active facts of everyone, keyed by person (rowid `(user << 32) + id`); every read
/// joins back to `facts` so only the person's own facts in the asked statuses ever come out.
extension SQLiteStore: MemoryRepository {
    public func saveFact(_ fact: NewFact, of user: User.ID, at date: Date) async throws -> MemoryFact {
        let embedding = fact.embedding.map(Self.blob(from:))
        return try await pool.write { db in
            // Only an active fact replaces another at once; a pending one (waiting for an Approve) keeps
            // the id it would replace and replaces it when it becomes active (see `setFactStatus`).
            var supersedes = fact.supersedes
            if let old = supersedes, fact.status == .active {
                try db.execute(sql: """
                    UPDATE facts SET status = 'superseded' WHERE id = ? AND user_id = ? AND status = 'active'
                    """, arguments: [old, user])
                if db.changesCount == 0 { supersedes = nil }
            } else if let old = supersedes {
                let theirs = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM facts WHERE id = ? AND user_id = ?)",
                                               arguments: [old, user]) ?? false
                if !theirs { supersedes = nil }
            }
            try db.execute(sql: """
                INSERT INTO facts (user_id, text, source, reference, status, created_at, supersedes, embedding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [user, fact.text, fact.source.rawValue, fact.reference, fact.status.rawValue,
                                 date.storageValue, supersedes, embedding])
            return MemoryFact(id: db.lastInsertedRowID, userID: user, text: fact.text, source: fact.source,
                              reference: fact.reference, status: fact.status,
                              createdAt: Date(storageValue: date.storageValue), supersedes: supersedes)
        }
    }

    public func fact(id: MemoryFact.ID, of user: User.ID) async throws -> MemoryFact? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.factColumns) FROM facts WHERE id = ? AND user_id = ?",
                             arguments: [id, user]).map(Self.fact(from:))
        }
    }

    public func facts(of user: User.ID, statuses: Set<MemoryFact.Status>, limit: Int) async throws -> [MemoryFact] {
        guard !statuses.isEmpty, limit > 0 else { return [] }
        let names = statuses.map(\.rawValue).sorted()
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        var values: [(any DatabaseValueConvertible)?] = [user]
        values += names.map { $0 as (any DatabaseValueConvertible)? }
        values.append(limit)
        let arguments = StatementArguments(values)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.factColumns) FROM facts WHERE user_id = ? AND status IN (\(marks))
                ORDER BY id DESC LIMIT ?
                """, arguments: arguments).map(Self.fact(from:))
        }
    }

    public func searchFacts(_ query: String, of user: User.ID, limit: Int) async throws -> [MemoryFact] {
        guard let match = Self.ftsQuery(query), limit > 0, user >= 0, user < 1 << 31 else { return [] }
        // The person's facts are the index rowids `(user << 32) + id` (migration v17): a range FTS5 seeks to.
        let first = user << 32, last = ((user + 1) << 32) - 1
        return try await pool.read { db in
            // The join back to `facts` re-checks person and status: the index is never the only guard.
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT f.id, f.user_id, f.text, f.source, f.reference, f.status, f.created_at, f.supersedes
                FROM (SELECT rowid AS key, bm25(facts_fts) AS score FROM facts_fts
                      WHERE facts_fts MATCH ? AND rowid BETWEEN ? AND ?
                      ORDER BY score, rowid DESC LIMIT ?) AS m
                JOIN facts f ON f.id = (m.key & 4294967295)
                WHERE f.user_id = ? AND f.status = 'active'
                ORDER BY m.score, f.id DESC
                """), arguments: [match, first, last, limit, user]).map(Self.fact(from:))
        }
    }

    public func setFactStatus(id: MemoryFact.ID, of user: User.ID, from: MemoryFact.Status,
                              to: MemoryFact.Status) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE facts SET status = ? WHERE id = ? AND user_id = ? AND status = ?",
                           arguments: [to.rawValue, id, user, from.rawValue])
            guard db.changesCount > 0 else { return false }
            // An approved fact that was waiting to replace an earlier one replaces it now, in the same write.
            if to == .active, let old = try Int64.fetchOne(db, sql: "SELECT supersedes FROM facts WHERE id = ?",
                                                           arguments: [id]) {
                try db.execute(sql: """
                    UPDATE facts SET status = 'superseded' WHERE id = ? AND user_id = ? AND status = 'active'
                    """, arguments: [old, user])
            }
            return true
        }
    }

    public func factEmbeddings(of user: User.ID) async throws -> [(id: MemoryFact.ID, vector: [Float])] {
        let rows = try await pool.read { db -> [(Int64, Data)] in
            try Row.fetchAll(db, sql: """
                SELECT id, embedding FROM facts WHERE user_id = ? AND status = 'active' AND embedding IS NOT NULL
                ORDER BY id
                """, arguments: [user]).map { ($0["id"], $0["embedding"]) }
        }
        return rows.map { (id: $0.0, vector: Self.vector(from: $0.1)) }
    }

    // MARK: Query and rows

    /// The FTS5 query for a person's words: each word quoted as a plain term, any of them may match (bm25
    /// ranks facts matching more and rarer words first); common words (`stopWords`) are left out. Nothing
    /// the user types is read as FTS syntax: words are cut at anything that is not a letter or a digit, so
    /// `"`, `*`, `-`, `:`, `(` and `NEAR` only ever become (or separate) quoted terms. Nil when no word is
    /// left (nothing to search for). Bounded: at most 32 words of at most 64 characters each, whatever the
    /// input's length.
    static func ftsQuery(_ text: String, maximumTerms: Int = 32, maximumTermLength: Int = 64) -> String? {
        var terms: [String] = []
        var seen: Set<String> = []
        var current = ""
        var length = 0
        func finish() {
            defer { current = ""; length = 0 }
            guard !current.isEmpty else { return }
            let term = current.lowercased()
            if !stopWords.contains(term), seen.insert(term).inserted { terms.append(term) }
        }
        for character in text.unicodeScalars {
            if terms.count >= maximumTerms { break }
            if Self.isWordPart(character) {
                if length < maximumTermLength { current.unicodeScalars.append(character); length += 1 }
            } else {
                finish()
            }
        }
        if terms.count < maximumTerms { finish() }
        guard !terms.isEmpty else { return nil }
        // A quoted term cannot contain a quote here (quotes are separators), so no escaping is needed.
        return terms.map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// Words too common to say what a fact is about: matching them would rank nearly every fact (and cost
    /// a pass over most of the index) for a request like "book lunch with Ana on the 3rd".
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "about",
        "as", "into", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had",
        "i", "me", "my", "mine", "you", "your", "we", "our", "it", "its", "this", "that", "these", "those",
        "what", "which", "who", "when", "where", "how", "please", "can", "could", "would", "will", "should",
        "s", "t", "im", "dont", "there", "if", "so", "not", "no", "up", "out", "any", "some", "all",
    ]

    /// Letters, digits and the marks that belong to them (as FTS5's unicode61 tokenizer reads words).
    private static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static let factColumns = "id, user_id, text, source, reference, status, created_at, supersedes"

    static func fact(from row: Row) -> MemoryFact {
        MemoryFact(id: row["id"], userID: row["user_id"], text: row["text"],
                   source: FactSource(rawValue: row["source"]) ?? .owner, reference: row["reference"],
                   status: MemoryFact.Status(rawValue: row["status"]) ?? .forgotten,
                   createdAt: Date(storageValue: row["created_at"]), supersedes: row["supersedes"])
    }

    /// Embeddings are stored as little-endian 32-bit floats, back to back.
    static func blob(from vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func vector(from data: Data) -> [Float] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - bytes.count % 4, by: 4).map { offset in
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}

/// When each Not urgent / Mute tap ran: the approvals that executed those alert buttons.
extension SQLiteStore: MailRuleHistory {
    public func mailRuleTaps(of user: User.ID) async throws -> [MailRuleTap] {
        let rows = try await pool.read { db -> [(String, Data, Double)] in
            try Row.fetchAll(db, sql: """
                SELECT tool_name, payload, COALESCE(decided_at, created_at) AS at FROM approvals
                WHERE user_id = ? AND state = 'executed' AND tool_name IN (?, ?)
                ORDER BY at
                """, arguments: [user, MuteSenderArguments.toolName, NotUrgentSenderArguments.toolName])
                .map { ($0["tool_name"], $0["payload"], $0["at"]) }
        }
        struct Sender: Decodable { var sender: String }
        return rows.compactMap { tool, payload, at in
            guard let sender = try? JSONDecoder().decode(Sender.self, from: payload).sender else { return nil }
            return MailRuleTap(sender: sender, rule: tool == MuteSenderArguments.toolName ? .muted : .notUrgent,
                               at: Date(storageValue: at))
        }
    }
}
