import Foundation
import StewardCore

/// How each account's triage is doing, kept in the state table under one key so `/status` and
/// `steward doctor` read it without knowing the accounts: when it started failing and when it tries
/// next, the messages waiting for another try, and how many were skipped after failing every try.
struct TriageHealth: Codable, Sendable, Equatable {
    struct Failing: Codable, Sendable, Equatable {
        var since: Date
        var failures: Int
        var nextTry: Date
        var lastError: String
    }

    var account: String
    var failing: Failing?
    /// Message id → failed fetches so far.
    var retries: [String: Int] = [:]
    var skipped = 0
    var lastSkipped: String?

    static let key = "gmail.triage.health"

    /// The wait after the `failures`-th failed cycle in a row: twice the triage interval, doubling each
    /// time, at most an hour (or one interval, when that is longer).
    static func delay(afterFailures failures: Int, interval: TimeInterval) -> TimeInterval {
        let doubled = interval * pow(2, Double(min(failures, 20)))
        return min(doubled, max(3600, interval))
    }

    /// One line per account with something to say, for `/status` and `doctor`.
    var statusLines: [String] { statusLines(in: nil) }

    /// The same, with times in `zone` (the asking user's on `/status`); nil: ISO 8601.
    func statusLines(in zone: TimeZone?) -> [String] {
        var lines: [String] = []
        if let failing {
            lines.append("Mail triage for \(account): failing since \(StatusTime.string(failing.since, in: zone)) "
                         + "(\(failing.failures) cycle(s)), next try \(StatusTime.string(failing.nextTry, in: zone)), "
                         + "last error: \(failing.lastError)")
        }
        if !retries.isEmpty {
            lines.append("Mail triage for \(account): \(retries.count) message(s) to fetch again next cycle")
        }
        if skipped > 0 {
            lines.append("Mail triage for \(account): \(skipped) message(s) skipped after failing every try"
                         + (lastSkipped.map { " (last: \($0))" } ?? ""))
        }
        return lines
    }

    static func all(in state: any StateRepository) async -> [String: TriageHealth] {
        guard let text = try? await state.value(key) else { return [:] }
        return (try? JSONDecoder().decode([String: TriageHealth].self, from: Data(text.utf8))) ?? [:]
    }

    /// Every account's lines, in account order.
    static func statusLines(from state: any StateRepository, in zone: TimeZone? = nil) async -> [String] {
        await all(in: state).sorted { $0.key < $1.key }.flatMap { $0.value.statusLines(in: zone) }
    }
}

extension GmailTriage {
    func health(of account: Account) async throws -> TriageHealth {
        await TriageHealth.all(in: store)[String(account.id)] ?? TriageHealth(account: account.label)
    }

    /// Changes one account's health. Only the triage job writes it, one account after another.
    private func updateHealth(of account: Account, _ change: (inout TriageHealth) -> Void) async throws {
        var all = await TriageHealth.all(in: store)
        var health = all[String(account.id)] ?? TriageHealth(account: account.label)
        let before = health
        change(&health)
        guard health != before else { return }
        health.account = account.label
        all[String(account.id)] = health
        try await store.setValue(String(decoding: try JSONEncoder().encode(all), as: UTF8.self), for: TriageHealth.key)
    }

    /// Drops what is kept for accounts that were removed, so /status doesn't speak of them.
    func forgetHealth(exceptOf accounts: [Account]) async throws {
        var all = await TriageHealth.all(in: store)
        let kept = Set(accounts.filter(\.hasGmail).map { String($0.id) })
        guard !Set(all.keys).isSubset(of: kept) else { return }
        all = all.filter { kept.contains($0.key) }
        try await store.setValue(String(decoding: try JSONEncoder().encode(all), as: UTF8.self), for: TriageHealth.key)
    }

    func recordSuccess(_ account: Account) async throws {
        try await updateHealth(of: account) { $0.failing = nil }
    }

    /// Counts a failed cycle and sets when the next one may start.
    func recordFailure(_ account: Account, error: any Error, interval: TimeInterval, now: Date) async throws {
        try await updateHealth(of: account) { health in
            let failures = (health.failing?.failures ?? 0) + 1
            health.failing = TriageHealth.Failing(
                since: health.failing?.since ?? now, failures: failures,
                nextTry: now.addingTimeInterval(TriageHealth.delay(afterFailures: failures, interval: interval)),
                lastError: String("\(error)".prefix(300)))
        }
    }

    func recordSkipped(_ account: Account, messageID: String, error: any Error) async throws {
        try await updateHealth(of: account) { health in
            health.skipped += 1
            health.lastSkipped = "message \(messageID): " + String("\(error)".prefix(200))
        }
    }

    func saveRetries(_ retries: [String: Int], of account: Account) async throws {
        try await updateHealth(of: account) { $0.retries = retries }
    }
}
