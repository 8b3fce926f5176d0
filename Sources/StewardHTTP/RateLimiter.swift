import Foundation

/// Throttles *before* sending, so a remote API's documented limits are never hit in the first place.
///
/// Each key (`telegram:chat:42`, `telegram:group:-100…`, `telegram:global`) has its own limit, kept as
/// a sliding window: `acquire(keys:)` reserves the earliest moment every listed key allows, then
/// sleeps until it. Guarantees:
/// - for each key, at most `count` grants fall in any window of length `period` (so 20 a minute to a
///   group may go at once, then the 21st waits until the first is a minute old; 1 a second is
///   strictly spaced);
/// - callers of one key are granted in the order they called `acquire`;
/// - `pauseAll(for:)` (a 429) holds every caller, current and future, until the pause ends, and moves
///   every outstanding reservation back by the same amount, so spacing and order survive the pause.
///
/// Grants are reservations of moments. Callers that send one request per key at a time should call
/// `settle(keys:)` when it finishes, so the next window starts when the previous request ended and
/// delays on the way cannot make two requests arrive closer than the limit.
///
/// The clock is injected (`RemoteClock`), so tests move time by hand; `RemoteCall` acquires, settles
/// and pauses it for every client that sends through a limiter.
public actor RateLimiter {
    /// At most `count` per `period`.
    public struct Limit: Sendable, Hashable {
        public var count: Int
        public var period: Duration

        public init(count: Int, per period: Duration) {
            precondition(count > 0, "a limit needs a positive count")
            self.count = count
            self.period = period
        }

        public static func perSecond(_ count: Int) -> Limit { .init(count: count, per: .seconds(1)) }
        public static func perMinute(_ count: Int) -> Limit { .init(count: count, per: .seconds(60)) }
    }

    /// One bucket: a name and the limit it keeps.
    public struct Key: Sendable, Hashable {
        public var name: String
        public var limit: Limit
        public init(_ name: String, _ limit: Limit) {
            self.name = name
            self.limit = limit
        }
    }

    /// A moment on `clock`.
    private typealias Instant = Duration
    private let clock: any RemoteClock
    /// Per key, the moments granted most recently (at most `limit.count`, oldest first).
    private var windows: [String: [Instant]] = [:]
    private var pausedUntil: Instant?
    /// Total time every reservation has been pushed back by pauses; waiters compare it to notice a new pause.
    private var totalShift: Duration = .zero
    private var callsSincePrune = 0

    public init(clock: any RemoteClock = ContinuousRemoteClock()) {
        self.clock = clock
    }

    /// Waits until every key in `keys` allows one more request, and takes it from each.
    /// An empty list only waits out a pause. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire(keys: [Key]) async throws {
        // One key at a time, in the order given (per chat, then per group, then global): a caller waiting
        // out its own chat's limit must not hold a place in the global queue that other chats wait behind.
        guard !keys.isEmpty else { return try await acquireTogether([]) }
        for key in keys { try await acquireTogether([key]) }
    }

    private func acquireTogether(_ keys: [Key]) async throws {
        let now = clock.now
        var slot = max(now, pausedUntil ?? now)
        for key in keys {
            guard let granted = windows[key.name], let last = granted.last else { continue }
            slot = max(slot, last)  // never ahead of an earlier caller of the same key
            if granted.count >= key.limit.count {
                slot = max(slot, granted[granted.count - key.limit.count] + key.limit.period)
            }
        }
        for key in keys { Self.append(slot, to: &windows[key.name, default: []], keeping: key.limit.count) }
        pruneOccasionally(now: now, keys: keys)

        let turns = takeTurns(keys)
        do {
            var shiftSeen = totalShift
            while true {
                if slot > clock.now { try await clock.sleep(until: slot) }
                // A pause that began while we slept moved every reservation back: follow it.
                guard totalShift > shiftSeen else { break }
                slot = slot + (totalShift - shiftSeen)
                shiftSeen = totalShift
            }
            // The reservation is the plan; a loaded machine may wake callers late and out of step. Before
            // granting, wait for this caller's turn and for the window of grants that really happened.
            while let wakeAt = notReady(keys, turns: turns) {
                try await clock.sleep(until: wakeAt)
            }
        } catch {
            abandon(turns, reservedAt: slot)
            throw error
        }
        let granted = clock.now
        for key in keys {
            Self.append(granted, to: &grants[key.name, default: []], keeping: key.limit.count)
            advance(key.name)
        }
    }

    /// Turn numbers per key, handed out in call order.
    private var turnsIssued: [String: Int] = [:]
    private var turnServed: [String: Int] = [:]
    private var abandonedTurns: [String: Set<Int>] = [:]
    /// Per key, when the most recent grants really happened (at most `limit.count`, oldest first).
    private var grants: [String: [Instant]] = [:]

    private func takeTurns(_ keys: [Key]) -> [String: Int] {
        var turns: [String: Int] = [:]
        for key in keys {
            let turn = turnsIssued[key.name, default: 0]
            turnsIssued[key.name] = turn + 1
            turns[key.name] = turn
        }
        return turns
    }

    /// nil when every key may grant now; otherwise when to look again.
    private func notReady(_ keys: [Key], turns: [String: Int]) -> Instant? {
        let now = clock.now
        var wakeAt: Instant?
        func later(_ instant: Instant) { wakeAt = max(wakeAt ?? instant, instant) }
        if let pausedUntil, pausedUntil > now { later(pausedUntil) }
        for key in keys {
            // An earlier caller of this key has not been granted yet: it goes first (it is about to wake).
            if turnServed[key.name, default: 0] != turns[key.name] { later(now + .milliseconds(1)) }
            let actual = grants[key.name] ?? []
            if actual.count >= key.limit.count {
                let allowed = actual[actual.count - key.limit.count] + key.limit.period
                if allowed > now { later(allowed) }
            }
        }
        return wakeAt
    }

    private func advance(_ name: String) {
        var next = turnServed[name, default: 0] + 1
        while abandonedTurns[name]?.remove(next) != nil { next += 1 }
        turnServed[name] = next
    }

    /// A cancelled caller gives its turn up, so the callers behind it are not held forever, and its reserved
    /// moment, so the next caller is planned from the grants that happen rather than a period after a
    /// request that was never made. (Taking it out can only make the plan early; the grant still waits for
    /// the window of real grants, `notReady`.)
    private func abandon(_ turns: [String: Int], reservedAt slot: Instant) {
        for (name, turn) in turns {
            if let index = windows[name]?.lastIndex(of: slot) { windows[name]?.remove(at: index) }
            if turnServed[name, default: 0] == turn {
                advance(name)
            } else {
                abandonedTurns[name, default: []].insert(turn)
            }
        }
    }

    /// The request granted last for `keys` has finished: count its window from now rather than from
    /// when it was granted. A caller that settles before acquiring again gets a guarantee that holds
    /// at the server too: the next request *starts* a full period after the previous one *ended*, so
    /// network and scheduling delays can only widen the gap. Only ever delays; never loosens a limit.
    public func settle(keys: [Key]) {
        let now = clock.now
        for key in keys {
            Self.moveLast(of: &windows[key.name], upTo: now)
            Self.moveLast(of: &grants[key.name], upTo: now)
        }
    }

    // The two below change a key's history where it is stored (the dictionary's `inout` access): taken out
    // and put back, the array was copied on every request, a global key's whole window each time.

    private static func append(_ instant: Instant, to history: inout [Instant], keeping count: Int) {
        history.append(instant)
        if history.count > count { history.removeFirst(history.count - count) }
    }

    private static func moveLast(of history: inout [Instant]?, upTo now: Instant) {
        guard let last = history?.last, last < now else { return }
        history![history!.count - 1] = now
    }

    /// Holds every send until `duration` from now (a 429's `retry_after`). A shorter pause than one
    /// already running changes nothing.
    public func pauseAll(for duration: Duration) {
        let now = clock.now
        let end = now + duration
        let currentEnd = max(pausedUntil ?? now, now)
        guard end > currentEnd else { return }
        let shift = end - currentEnd
        pausedUntil = end
        totalShift += shift
        for (name, granted) in windows where (granted.last ?? now) > now {
            windows[name] = granted.map { $0 > now ? $0 + shift : $0 }
        }
    }

    /// How long a caller would wait right now because of a pause (zero when none).
    public var remainingPause: Duration {
        guard let pausedUntil else { return .zero }
        return max(.zero, pausedUntil - clock.now)
    }

    private var longestPeriod: Duration = .zero

    /// Keys with anything kept (tests hold the pruning to it).
    var keptKeyCount: Int {
        Set(windows.keys).union(grants.keys).union(turnsIssued.keys).union(turnServed.keys)
            .union(abandonedTurns.keys).count
    }

    private func pruneOccasionally(now: Instant, keys: [Key]) {
        for key in keys where key.limit.period > longestPeriod { longestPeriod = key.limit.period }
        callsSincePrune += 1
        guard callsSincePrune >= 4096 else { return }
        callsSincePrune = 0
        // A key whose newest grant is older than every period behaves exactly like a key never seen.
        windows = windows.filter { ($0.value.last ?? now) + longestPeriod > now }
        // Grant history and turn counters of keys nobody waits on go too (a fresh key starts at turn 0).
        grants = grants.filter { ($0.value.last ?? now) + longestPeriod > now }
        for (name, issued) in turnsIssued where turnServed[name, default: 0] >= issued && grants[name] == nil {
            turnsIssued[name] = nil
            turnServed[name] = nil
            abandonedTurns[name] = nil
        }
    }
}
