import Foundation

/// A fact from someone else's text that the model wanted to remember: stored as pending with a card of its
/// own; only Approve makes it active, Reject (or expiry) forgets it. Each card has its own id, so a fact's
/// card never takes the place of the message's other card.
extension Orchestrator {
    /// Stores each proposed fact as pending and offers its card. Handled twice (a crash before the event was
    /// marked done), a fact whose card already exists is shown again, not stored a second time.
    func requestFactSaves(_ facts: [ProposedFact], event: InboundEvent, user: User, reply: inout Reply) async throws {
        guard let memory, !facts.isEmpty else { return }
        for (index, proposal) in facts.enumerated() {
            let id = String(digest(Data("memory|\(event.id)|\(index)".utf8)).prefix(12))
            if let existing = try await approvals.approval(id: id) {
                try await gate.showAgain(existing, reply: &reply)
                continue
            }
            let fact = try await memory.saveFact(NewFact(text: proposal.text, source: proposal.source,
                                                         reference: proposal.reference, status: .pending),
                                                 of: user.id, at: now())
            try await requestApproval(SaveFactArguments(factID: fact.id), id: id,
                                      summary: Self.factSummary(fact.id, proposal), event: event, user: user,
                                      reply: &reply)
        }
    }

    /// What the card shows: the fact quoted, where it came from, and why it reads like an instruction.
    static func factSummary(_ id: MemoryFact.ID, _ proposal: ProposedFact) -> String {
        var lines = ["Fact #\(id): \"\(proposal.text.prefix(500))\"", proposal.sourceLine]
        let flags = FactScreening.flags(proposal.text)
        if !flags.isEmpty { lines.append("⚠️ Reads like an instruction: " + flags.joined(separator: "; ")) }
        lines.append("Approve saves it to memory; Reject forgets it.")
        return lines.joined(separator: "\n")
    }

    /// Approve: the pending fact becomes active (once; a second run finds it decided already).
    func runFactSave(_ request: ApprovalRequest) async throws -> String {
        guard let memory else { throw CalendarError("memory isn't available") }
        let arguments = try JSONDecoder().decode(SaveFactArguments.self, from: request.payload)
        guard let fact = try await memory.fact(id: arguments.factID, of: request.userID) else {
            throw CalendarError("that fact no longer exists")
        }
        if fact.status == .active { return "✓ Saved to memory (#\(fact.id)): \(fact.text)" }
        guard try await memory.setFactStatus(id: fact.id, of: request.userID, from: .pending, to: .active) else {
            throw CalendarError("that fact is \(fact.status.rawValue), no longer waiting")
        }
        return "✓ Saved to memory (#\(fact.id)): \(fact.text)"
    }

    /// Reject or expiry: the pending fact is forgotten; returns what the card adds about it.
    func forgetPendingFact(_ request: ApprovalRequest) async -> String {
        guard let memory, let arguments = try? JSONDecoder().decode(SaveFactArguments.self, from: request.payload),
              (try? await memory.setFactStatus(id: arguments.factID, of: request.userID, from: .pending,
                                               to: .forgotten)) == true else { return "" }
        return " The fact was not saved."
    }
}
