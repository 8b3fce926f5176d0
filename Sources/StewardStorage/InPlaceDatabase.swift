import GRDB

/// The store's SQLite connections, used on the caller's thread.
///
/// GRDB's `async` `read`/`write` run each closure on a dispatch queue of its connection and resume the
/// caller afterwards: two thread hand-offs (a futex wake each way) per call. A message costs about ten
/// such calls (store, offset, read back, sender, answer, outbox, sent): at a steady 200 updates/s that was
/// more than half of Steward's context switches and about a quarter of its CPU (Benchmarks/README.md,
/// "What the profile found"). GRDB's synchronous API runs the closure right here (`DispatchQueue.sync`
/// without a hop) and waits only while another thread holds the same connection.
///
/// All of the store goes through this one type, on purpose: a synchronous call that waits for a reader
/// held by an `async` read (whose closure needs a thread of the same small pool) can deadlock when the
/// pool's threads all wait, so the two styles must never be mixed on one `DatabasePool`. Every closure
/// here is synchronous and runs on a thread that is running, so every wait ends.
/// The cost: a long transaction (a calendar sync writing thousands of rows) holds its thread of the
/// concurrency pool while it runs; it would hold the writer just the same with GRDB's `async` API.
/// `nonisolated(nonsending)`: the work runs on the caller's executor, so an actor calling it does not hop
/// to the global pool and back either.
struct InPlaceDatabase: Sendable {
    let pool: DatabasePool

    func read<T>(_ value: (Database) throws -> T) throws -> T { try pool.read(value) }

    func write<T>(_ updates: (Database) throws -> T) throws -> T { try writeHere(updates) }

    nonisolated(nonsending) func read<T>(_ value: (Database) throws -> T) async throws -> T {
        try pool.read(value)
    }

    nonisolated(nonsending) func write<T>(_ updates: (Database) throws -> T) async throws -> T {
        try writeHere(updates)
    }

    /// What GRDB's `write` does (an immediate transaction, rolled back if anything throws), with the
    /// `BEGIN` and `COMMIT` statements prepared once per connection: GRDB's `inTransaction` parses and
    /// prepares both again for every transaction, six statements a message at three write transactions a
    /// message. Without them (and with the sent mark's one statement) a message cost 11% less CPU in a
    /// burst and 6% less paced (Benchmarks/README.md, "Fifth pass").
    private func writeHere<T>(_ updates: (Database) throws -> T) throws -> T {
        // The synchronous overload (the closure is not `@Sendable`): see above.
        try pool.writeWithoutTransaction { db in try Self.transaction(db, updates) }
    }

    private static func transaction<T>(_ db: Database, _ updates: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let value = try updates(db)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return value
        } catch {
            // A failed statement or commit may leave the transaction open, or SQLite may have rolled it back
            // already (a full disk, an I/O error): GRDB's `rollback` ends it only if it is still open.
            try? db.rollback()
            throw error
        }
    }

    /// A short lookup on the writer's connection, whose page cache outlives its own commits. A reader's
    /// cache is dropped whenever anything was committed since its last read (SQLite's WAL mode), so a
    /// lookup made between every two writes (the sender's profile, once per message) read all its pages
    /// again from the file: most of a paced message's `pread` calls. The outbox's read of pending rows, made
    /// between a burst's writes, is here for the same reason. The cost: it waits while a write runs.
    nonisolated(nonsending) func lookUpOnWriter<T>(_ value: (Database) throws -> T) async throws -> T {
        try pool.writeWithoutTransaction(value)
    }
}
