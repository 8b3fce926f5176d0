import Foundation
import LoadSupport

/// Seconds on a monotonic clock.
func now() -> Double { ProcessInfo.processInfo.systemUptime }

/// Who sent what when, and which answers came back: each room's sends wait in order (a user sends one
/// message at a time, and Steward answers a chat in order), and a reply from the bot takes the oldest.
actor Ledger {
    private var pending: [String: [Double]] = [:]
    private(set) var latencies: [Double] = []
    private(set) var unmatched = 0
    private(set) var lastReply = 0.0

    func sent(in room: String, at time: Double) { pending[room, default: []].append(time) }

    func replied(in room: String, at time: Double) {
        lastReply = time
        guard var queue = pending[room], !queue.isEmpty else {
            unmatched += 1
            return
        }
        latencies.append(time - queue.removeFirst())
        pending[room] = queue
    }

    var answered: Int { latencies.count }

    /// Starts a phase: forgets earlier latencies (and stray replies).
    func reset() {
        latencies = []
        unmatched = 0
    }
}

/// One user's `/sync` loop: notes every message the bot sends in that user's rooms.
func listen(_ account: Account, bot: String, ledger: Ledger) async throws -> Task<Void, Never> {
    let first = try await account.sync(since: nil, timeoutMilliseconds: 0)
    var since = first["next_batch"] as? String
    return Task {
        var failures = 0
        while !Task.isCancelled {
            do {
                let answer = try await account.sync(since: since, timeoutMilliseconds: 10_000)
                let arrived = now()
                since = answer["next_batch"] as? String ?? since
                failures = 0
                let joined = (answer["rooms"] as? [String: Any])?["join"] as? [String: Any] ?? [:]
                for (room, value) in joined {
                    let events = ((value as? [String: Any])?["timeline"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
                    for event in events where event["sender"] as? String == bot {
                        let relation = (event["content"] as? [String: Any])?["m.relates_to"] as? [String: Any]
                        if relation?["rel_type"] as? String == "m.replace" { continue }  // an edit, not an answer
                        await ledger.replied(in: room, at: arrived)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures % 5 == 1 { say("  [\(account.userID)] sync failed: \(error)") }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
