import Foundation
import GRDB
import StewardCore

/// What `/metrics` reads from the database at each scrape: values that are state, not events.
extension SQLiteStore {
    public struct Gauges: Sendable {
        public var outboxPending: Int
        /// Seconds the oldest pending delivery has waited; 0 when none waits.
        public var oldestPendingAge: Double
        /// Approval requests by state (`pending`, `approved`, `executed`, `rejected`, `expired`, …).
        public var approvals: [String: Int]
        public var unprocessedInbound: Int
    }

    public func gauges(at date: Date) async throws -> Gauges {
        try await pool.read { db in
            let pending = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM outbox WHERE state = 'pending'
                """)
            let oldest: Double? = pending?["oldest"]
            var approvals: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM approvals GROUP BY state") {
                approvals[row["state"]] = row["count"]
            }
            return Gauges(
                outboxPending: pending?["count"] ?? 0,
                oldestPendingAge: oldest.map { max(0, date.storageValue - $0) } ?? 0,
                approvals: approvals,
                unprocessedInbound: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL") ?? 0)
        }
    }
}
