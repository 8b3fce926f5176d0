import Foundation
import StewardCore

/// An `InboundSink` that keeps events in memory and, like the real one, drops an event whose id it
/// has stored before. It can be told to fail, to show that an adapter does not acknowledge what was
/// not stored.
public actor InMemoryInboundSink: InboundSink {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String { "InMemoryInboundSink told to fail" }
    }

    private(set) public var events: [InboundEvent] = []
    private var seen: Set<String> = []
    private var failuresLeft = 0
    /// How many `accept` calls were made, failed ones included.
    private(set) public var acceptCalls = 0
    /// How many events arrived again and were dropped as duplicates.
    private(set) public var duplicates = 0
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init() {}

    /// The next `count` calls to `accept` throw without storing anything.
    public func failNext(_ count: Int) { failuresLeft = count }

    public func accept(_ batch: [InboundEvent]) async throws {
        acceptCalls += 1
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw Failure()
        }
        for event in batch {
            if seen.insert(event.id).inserted { events.append(event) } else { duplicates += 1 }
        }
        let ready = waiters.filter { $0.count <= events.count }
        waiters.removeAll { $0.count <= events.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Returns once at least `count` distinct events are stored, or after `timeout`; the events either way.
    @discardableResult
    public func waitForEvents(_ count: Int, timeout: Duration = .seconds(30)) async -> [InboundEvent] {
        if events.count >= count { return events }
        await withCheckedContinuation { continuation in
            waiters.append((count, continuation))
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expireWaiters()
            }
        }
        return events
    }

    private func expireWaiters() {
        let all = waiters
        waiters.removeAll()
        for waiter in all { waiter.continuation.resume() }
    }
}
