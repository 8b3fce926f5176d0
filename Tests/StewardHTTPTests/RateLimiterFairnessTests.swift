import Foundation
import StewardHTTP
import Testing

/// A chat that must wait for its own limit does not hold up other chats that share the global limit.
@Suite struct RateLimiterFairnessTests {
    @Test func aThrottledChatDoesNotBlockOtherChatsBehindItInTheGlobalQueue() async throws {
        let limiter = RateLimiter()
        let perChat = RateLimiter.Limit(count: 1, per: .seconds(2))
        let global = RateLimiter.Key("global", .init(count: 100, per: .seconds(1)))
        let clock = ContinuousClock()
        try await limiter.acquire(keys: [.init("chat:busy", perChat), global])
        // The busy chat's second message must wait two seconds for its own chat limit…
        let busy = Task { try await limiter.acquire(keys: [.init("chat:busy", perChat), global]) }
        try await Task.sleep(for: .milliseconds(20))
        // …while a message to another chat goes at once.
        let start = clock.now
        try await limiter.acquire(keys: [.init("chat:quiet", perChat), global])
        // Well under the busy chat's two seconds, with room for a loaded machine.
        #expect(clock.now - start < .milliseconds(1_500))
        busy.cancel()
        _ = await busy.result
    }

    /// On a manual clock: after a waiter is cancelled, the next caller waits only for the window of the
    /// grant that happened (200 ms), not behind the cancelled one.
    @Test func aCancelledWaiterGivesUpItsTurn() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(200)))
        try await limiter.acquire(keys: [key])
        let doomed = Task { try await limiter.acquire(keys: [key]) }
        while clock.sleeperCount == 0 { await Task.yield() }
        doomed.cancel()
        _ = await doomed.result
        let next = Task { try await limiter.acquire(keys: [key]) }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .milliseconds(199))
        #expect(clock.sleeperCount == 1, "still inside the first grant's window")
        clock.advance(by: .milliseconds(1))
        try await next.value
        #expect(clock.now == .milliseconds(200))
    }
}
