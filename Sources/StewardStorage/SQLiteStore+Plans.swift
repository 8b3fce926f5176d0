import Foundation
import GRDB
import StewardCore

/// Plans: a plan and its steps are stored in one write before the card exists; each step's status is
/// then its own small write (running before the provider is called, done or failed after).
extension SQLiteStore: PlanRepository {
    public func insert(plan: Plan) async throws -> Plan {
        let chat = try String(decoding: JSONEncoder.storage.encode(plan.chat), as: UTF8.self)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO plans (id, user_id, chat, title, state, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [plan.id, plan.userID, chat, plan.title, plan.state.rawValue,
                                 plan.createdAt.storageValue])
            if db.changesCount > 0 {
                for step in plan.steps {
                    try db.execute(sql: """
                        INSERT INTO plan_steps (plan_id, idx, tool_name, payload, line, status, outcome, after_idx)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [plan.id, step.index, step.toolName, step.payload, step.line,
                                         step.status.rawValue, step.outcome, step.after])
                }
            }
            return try Self.plan(id: plan.id, in: db) ?? plan
        }
    }

    public func plan(id: String) async throws -> Plan? {
        try await pool.read { db in try Self.plan(id: id, in: db) }
    }

    public func transition(plan id: String, from: Plan.State, to: Plan.State) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE plans SET state = ? WHERE id = ? AND state = ?",
                           arguments: [to.rawValue, id, from.rawValue])
            return db.changesCount > 0
        }
    }

    public func update(step index: Int, of plan: String, to status: PlanStep.Status, outcome: String?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE plan_steps SET status = ?, outcome = ? WHERE plan_id = ? AND idx = ?",
                           arguments: [status.rawValue, outcome, plan, index])
        }
    }

    public func waitingPlans(of user: User.ID) async throws -> [Plan] {
        try await pool.read { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM plans WHERE user_id = ? AND (
                    (state = 'proposed' AND EXISTS (
                        SELECT 1 FROM approvals WHERE approvals.id = plans.id AND approvals.state = 'pending'))
                    OR (state = 'approved' AND EXISTS (
                        SELECT 1 FROM plan_steps WHERE plan_id = plans.id AND status = 'failed')))
                ORDER BY created_at, id
                """, arguments: [user])
            return try ids.compactMap { try Self.plan(id: $0, in: db) }.filter(\.isWaiting)
        }
    }

    public func unfinishedPlans() async throws -> [Plan] {
        try await pool.read { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM plans WHERE state = 'approved' AND EXISTS (
                    SELECT 1 FROM plan_steps WHERE plan_id = plans.id AND status IN ('pending', 'running'))
                ORDER BY created_at, id
                """)
            return try ids.compactMap { try Self.plan(id: $0, in: db) }
        }
    }

    static func plan(id: String, in db: Database) throws -> Plan? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM plans WHERE id = ?", arguments: [id]) else { return nil }
        let steps = try Row.fetchAll(db, sql: "SELECT * FROM plan_steps WHERE plan_id = ? ORDER BY idx",
                                     arguments: [id]).map { step in
            PlanStep(index: step["idx"], toolName: step["tool_name"], payload: step["payload"], line: step["line"],
                     status: PlanStep.Status(rawValue: step["status"]) ?? .failed, outcome: step["outcome"],
                     after: step["after_idx"])
        }
        let chatText: String = row["chat"]
        return Plan(id: id, userID: row["user_id"],
                    chat: try JSONDecoder.storage.decode(ChatRef.self, from: Data(chatText.utf8)),
                    title: row["title"], steps: steps, state: Plan.State(rawValue: row["state"]) ?? .rejected,
                    createdAt: Date(storageValue: row["created_at"]))
    }
}
