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

    private let clock = ContinuousClock()
    /// Per key, the moments granted most recently (at most `limit.count`, oldest first).
    private var windows: [String: [ContinuousClock.Instant]] = [:]
    private var pausedUntil: ContinuousClock.Instant?
    /// Total time every reservation has been pushed back by pauses; waiters compare it to notice a new pause.
    private var totalShift: Duration = .zero
    private var callsSincePrune = 0

    public init() {}

    /// Waits until every key in `keys` allows one more request, and takes it from each.
    /// An empty list only waits out a pause. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire(keys: [Key]) async throws {
        let now = clock.now
        var slot = max(now, pausedUntil ?? now)
        for key in keys {
            guard let granted = windows[key.name], let last = granted.last else { continue }
            slot = max(slot, last)  // never ahead of an earlier caller of the same key
            if granted.count >= key.limit.count {
                slot = max(slot, granted[granted.count - key.limit.count] + key.limit.period)
            }
        }
        for key in keys {
            var granted = windows[key.name] ?? []
            granted.append(slot)
            if granted.count > key.limit.count { granted.removeFirst(granted.count - key.limit.count) }
            windows[key.name] = granted
        }
        pruneOccasionally(now: now, keys: keys)

        var shiftSeen = totalShift
        while true {
            if slot > clock.now { try await clock.sleep(until: slot, tolerance: .milliseconds(1)) }
            // A pause that began while we slept moved every reservation back: follow it.
            guard totalShift > shiftSeen else { break }
            slot = slot + (totalShift - shiftSeen)
            shiftSeen = totalShift
        }
        // Woken late (a loaded machine): the window counts from when the grant really happened, or the
        // next caller's slot, computed from the planned time, would follow this one almost at once.
        let actual = clock.now
        guard actual > slot else { return }
        for key in keys {
            guard var granted = windows[key.name], let index = granted.lastIndex(of: slot) else { continue }
            granted[index] = actual
            granted.sort()
            windows[key.name] = granted
        }
    }

    /// The request granted last for `keys` has finished: count its window from now rather than from
    /// when it was granted. A caller that settles before acquiring again gets a guarantee that holds
    /// at the server too: the next request *starts* a full period after the previous one *ended*, so
    /// network and scheduling delays can only widen the gap. Only ever delays; never loosens a limit.
    public func settle(keys: [Key]) {
        let now = clock.now
        for key in keys {
            guard var granted = windows[key.name], let last = granted.last, last < now else { continue }
            granted[granted.count - 1] = now
            windows[key.name] = granted
        }
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

    private func pruneOccasionally(now: ContinuousClock.Instant, keys: [Key]) {
        for key in keys where key.limit.period > longestPeriod { longestPeriod = key.limit.period }
        callsSincePrune += 1
        guard callsSincePrune >= 4096 else { return }
        callsSincePrune = 0
        // A key whose newest grant is older than every period behaves exactly like a key never seen.
        windows = windows.filter { ($0.value.last ?? now) + longestPeriod > now }
    }
}
