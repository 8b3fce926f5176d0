import Foundation

/// Throttles *before* sending, so a remote API's documented limits are never hit in the first place.
///
/// Each key (`telegram:chat:42`, `telegram:global`) is a token bucket with its own limit, run as a
/// generic cell-rate algorithm: `acquire(keys:)` reserves the earliest slot that every listed bucket
/// allows, then sleeps until it. Guarantees:
/// - for each key, grants are spaced at least `period / count` apart, except that up to `burst` may
///   follow each other back to back (so with `burst == 1`, never more than `count` per `period`);
/// - callers of one key are granted in the order they called `acquire`;
/// - `pauseAll(for:)` (a 429) holds every caller, current and future, until the pause ends, and moves
///   every outstanding reservation back by the same amount, so spacing and order survive the pause.
public actor RateLimiter {
    /// At most `count` per `period`; `burst` of them may go back to back.
    public struct Limit: Sendable, Hashable {
        public var count: Int
        public var period: Duration
        public var burst: Int

        public init(count: Int, per period: Duration, burst: Int = 1) {
            precondition(count > 0 && burst > 0, "a limit needs a positive count and burst")
            self.count = count
            self.period = period
            self.burst = burst
        }

        public static func perSecond(_ count: Int, burst: Int = 1) -> Limit { .init(count: count, per: .seconds(1), burst: burst) }
        public static func perMinute(_ count: Int, burst: Int = 1) -> Limit { .init(count: count, per: .seconds(60), burst: burst) }

        var interval: Duration { period / count }
        var tolerance: Duration { interval * (burst - 1) }
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
    /// Per key, the "theoretical arrival time" of the next conforming request.
    private var nextFree: [String: ContinuousClock.Instant] = [:]
    private var pausedUntil: ContinuousClock.Instant?
    /// Total time every reservation has been pushed back by pauses; waiters compare it to notice a new pause.
    private var totalShift: Duration = .zero
    private var callsSincePrune = 0

    public init() {}

    /// Waits until every bucket in `keys` allows one more request, and takes it from each.
    /// An empty list only waits out a pause. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire(keys: [Key]) async throws {
        let now = clock.now
        var slot = now
        for key in keys {
            if let free = nextFree[key.name] { slot = max(slot, free - key.limit.tolerance) }
        }
        if let pausedUntil { slot = max(slot, pausedUntil) }
        for key in keys {
            nextFree[key.name] = max(nextFree[key.name] ?? slot, slot) + key.limit.interval
        }
        pruneOccasionally(now: now)

        var shiftSeen = totalShift
        while true {
            if slot > clock.now { try await clock.sleep(until: slot, tolerance: .milliseconds(1)) }
            // A pause that began while we slept moved every reservation back: follow it.
            guard totalShift > shiftSeen else { return }
            slot = slot + (totalShift - shiftSeen)
            shiftSeen = totalShift
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
        for (name, free) in nextFree where free > now {
            nextFree[name] = free + shift
        }
    }

    /// How long a caller would wait right now because of a pause (zero when none).
    public var remainingPause: Duration {
        guard let pausedUntil else { return .zero }
        return max(.zero, pausedUntil - clock.now)
    }

    private func pruneOccasionally(now: ContinuousClock.Instant) {
        callsSincePrune += 1
        guard callsSincePrune >= 4096 else { return }
        callsSincePrune = 0
        // A key whose next free time has passed behaves exactly like a key never seen.
        nextFree = nextFree.filter { $0.value > now }
    }
}
