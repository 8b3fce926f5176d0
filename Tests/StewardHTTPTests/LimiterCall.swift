import Foundation
import StewardHTTP
import StewardTesting

/// One `acquire(keys:)` on a `ManualClock`, in its own task, noting the moment it was granted.
///
/// A caller asleep on a manual clock sleeps until the test advances time, so awaiting its task would hang;
/// tests wait for it with `waitUntil` instead, which fails after its timeout.
final class LimiterCall: Sendable {
    private actor Outcome {
        private(set) var value: Result<Duration, any Error>?
        func set(_ value: Result<Duration, any Error>) { self.value = value }
    }

    private let outcome = Outcome()
    private let task: Task<Void, Never>

    init(_ limiter: RateLimiter, keys: [RateLimiter.Key], clock: ManualClock) {
        let outcome = outcome
        task = Task {
            do {
                try await limiter.acquire(keys: keys)
                await outcome.set(.success(clock.now))
            } catch {
                await outcome.set(.failure(error))
            }
        }
    }

    /// When it was granted; nil while it waits (or if it threw).
    var grantedAt: Duration? {
        get async { try? await outcome.value?.get() }
    }

    /// Waits until `acquire` has returned or thrown, and returns the moment it was granted or rethrows.
    func granted() async throws -> Duration {
        try await waitUntil { await outcome.value != nil }
        return try await outcome.value!.get()
    }

    func cancel() { task.cancel() }
}

extension Sequence {
    func asyncCount(where predicate: (Element) async -> Bool) async -> Int {
        var count = 0
        for element in self where await predicate(element) { count += 1 }
        return count
    }
}
