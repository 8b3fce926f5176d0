import Foundation
import GRDB
import StewardCore

/// Steward's embedded store: one SQLite file in WAL mode, opened through GRDB.
///
/// Every repository protocol of the core is implemented on this one type (see the `+` files), so the
/// composition root can hand the same store to each service. Each method is one transaction.
/// Durability: WAL with `synchronous=NORMAL` keeps every committed transaction across a process crash
/// (`kill -9`); only an OS crash or power loss can drop the last few commits.
public final class SQLiteStore: Sendable {
    /// Used on the caller's thread: see `InPlaceDatabase` (GRDB's `async` API must not be mixed in).
    let pool: InPlaceDatabase
    let secrets: SecretBox?
    let caches = StoreCaches()

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, secrets: SecretBox?) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Reads are short (indexed lookups): a reader per core keeps the CPUs busy, and each idle extra
        // connection would hold its own page cache and statements for good (GRDB's default is five).
        configuration.maximumReaderCount = max(2, ProcessInfo.processInfo.activeProcessorCount)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 1 MB of page cache per connection instead of 2: the hot rows (users, settings, the
            // outbox's head) fit many times over, and resident memory stays small after months.
            try db.execute(sql: "PRAGMA cache_size = -1024")
        }
        pool = InPlaceDatabase(pool: try DatabasePool(path: path, configuration: configuration))
        self.secrets = secrets
        try Self.migrator.migrate(pool.pool)
    }

    /// The migrations applied so far, oldest first (for `steward migrate` and `doctor`).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    /// All migrations this build knows.
    public static var knownMigrations: [String] { migrator.migrations }
}

extension Date {
    /// Stored as seconds since 1970 (REAL) so comparisons in SQL are numeric and exact enough.
    var storageValue: Double { timeIntervalSince1970 }
    init(storageValue: Double) { self.init(timeIntervalSince1970: storageValue) }
}

extension JSONEncoder {
    static let storage: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

extension JSONDecoder {
    static let storage: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
