import Foundation

/// The time the remote-call pipeline reads and waits on, injected so that the rate limiter, the circuit
/// breaker and retry waits can be tested with a clock a test moves by hand (no wall-clock assertions).
///
/// Instants are durations since the clock's own origin: simple to add to, compare and store.
public protocol RemoteClock: Sendable {
    /// Now, as time since this clock's origin.
    var now: Duration { get }
    /// Returns at `deadline` (or at once when it has passed); throws `CancellationError` when the
    /// calling task is cancelled first.
    func sleep(until deadline: Duration) async throws
}

extension RemoteClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + max(duration, .zero))
    }
}

/// The real clock: `ContinuousClock`, which keeps counting while the machine sleeps.
public struct ContinuousRemoteClock: RemoteClock {
    private let origin: ContinuousClock.Instant

    public init() { origin = ContinuousClock.now }

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(until deadline: Duration) async throws {
        // A millisecond of tolerance lets the system coalesce wake-ups without changing any spacing we
        // promise (limits are at least tens of milliseconds apart).
        try await ContinuousClock().sleep(until: origin + deadline, tolerance: .milliseconds(1))
    }
}
