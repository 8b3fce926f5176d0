import Foundation

/// How a plan reads on its card: every change (at most 20 lines, then "and N more"), and after it ran,
/// per change what the provider said.
extension Plan {
    /// The changes the owner sees: a move across accounts is one change made of two steps.
    var changes: [PlanStep] { steps.filter { $0.after == nil } }

    /// The steps that carry out `change` (itself, and the cancel that follows a create).
    func parts(of change: PlanStep) -> [PlanStep] {
        [change] + steps.filter { $0.after == change.index }
    }

    /// The card before anything ran.
    func cardText(all: Bool = false) -> String {
        let shown = all ? changes : Array(changes.prefix(Plan.shownLines))
        var lines = [title] + shown.enumerated().map { "\($0.offset + 1). \($0.element.line)" }
        if shown.count < changes.count {
            lines.append("…and \(changes.count - shown.count) more — tap Show all to see every one.")
        }
        return lines.joined(separator: "\n")
    }

    /// "6 of 8 done…" while running; per change outcomes once finished.
    func progressText() -> String {
        let total = changes.count
        let finished = changes.filter { change in parts(of: change).allSatisfy { $0.status == .done } }.count
        return cardText() + "\n\n\(finished) of \(total) done…"
    }

    /// The card once every step ran: the changes, then `outcomeSummary()`.
    func outcomeText() -> String { cardText() + "\n\n" + outcomeSummary() }

    /// What was done, and for each failed change what the provider said.
    func outcomeSummary() -> String {
        let total = changes.count
        var failedLines: [String] = []
        var doneCount = 0
        for (number, change) in changes.enumerated() {
            let parts = parts(of: change)
            if parts.allSatisfy({ $0.status == .done }) { doneCount += 1; continue }
            let name = change.line.components(separatedBy: " · ").first ?? change.line
            if change.status == .done, let cancel = parts.dropFirst().first(where: { $0.status != .done }) {
                // The copy exists and the original too: say so, never a silent duplicate.
                failedLines.append("\(number + 1). \(name): created, but the original is still there "
                                   + "(\(cancel.line)): \(cancel.outcome ?? "not done")")
            } else {
                failedLines.append("\(number + 1). \(name): \(parts.first { $0.status != .done }?.outcome ?? "not done")")
            }
        }
        let head = failedLines.isEmpty ? "✓ All \(total) done." : "\(doneCount) done, \(failedLines.count) failed:"
        let shownFailures = failedLines.prefix(Plan.shownLines)
        let more = failedLines.count > shownFailures.count ? ["…and \(failedLines.count - shownFailures.count) more failed."] : []
        return ([head] + shownFailures + more).joined(separator: "\n")
    }

    /// The failed changes still to retry (a pair counts once).
    var failedChanges: Int {
        changes.filter { change in parts(of: change).contains { $0.status == .failed } }.count
    }
}

/// A plan built outside a chat, for benchmarks and tools: the same steps and card text a bulk request gets,
/// read from the calendars as given (typically their local copies); nothing is stored or sent.
public enum PlanBuilder {
    /// The plan for `change` and its card's text, or nil and the one line the user would get instead.
    public static func build(_ change: BulkChange, user: User, settings: UserSettings, calendars: any CalendarDirectory,
                             now: Date, id: String, chat: ChatRef) async throws -> (plan: Plan?, text: String) {
        switch try await PlanHandler(calendars: calendars, now: { now })
            .build(change, user: user, settings: settings, uidPrefix: "steward-plan-\(id)") {
        case .refused(let line):
            return (nil, line)
        case .steps(let title, let steps):
            let plan = Plan(id: id, userID: user.id, chat: chat, title: title, steps: steps, createdAt: now)
            guard plan.changes.count <= Plan.maximumChanges else { return (nil, "more than \(Plan.maximumChanges) changes") }
            return (plan, plan.cardText())
        }
    }
}
