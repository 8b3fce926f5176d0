import Foundation
import StewardHTTP
import StewardTesting
import Testing

/// A chat that must wait for its own limit does not hold up other chats that share the global limit.
@Suite struct RateLimiterFairnessTests {
    @Test func aThrottledChatDoesNotBlockOtherChatsBehindItInTheGlobalQueue() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let perChat = RateLimiter.Limit(count: 1, per: .seconds(2))
        let global = RateLimiter.Key("global", .init(count: 100, per: .seconds(1)))
        #expect(try await LimiterCall(limiter, keys: [.init("chat:busy", perChat), global], clock: clock).granted() == .zero)
        // The busy chat's second message must wait two seconds for its own chat limit…
        let busy = LimiterCall(limiter, keys: [.init("chat:busy", perChat), global], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        // …while a message to another chat goes at once.
        let quiet = LimiterCall(limiter, keys: [.init("chat:quiet", perChat), global], clock: clock)
        #expect(try await quiet.granted() == .zero)
        #expect(clock.sleeperCount == 1, "the busy chat is still waiting")
        busy.cancel()
        await #expect(throws: CancellationError.self) { try await busy.granted() }
    }

    /// After a waiter is cancelled, the next caller waits for the window of the grant that happened (200 ms):
    /// not forever behind the cancelled one, and not a period after the moment the cancelled one had reserved.
    @Test func aCancelledWaiterGivesUpItsTurn() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(200)))
        #expect(try await LimiterCall(limiter, keys: [key], clock: clock).granted() == .zero)
        let doomed = LimiterCall(limiter, keys: [key], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        doomed.cancel()
        await #expect(throws: CancellationError.self) { try await doomed.granted() }
        let next = LimiterCall(limiter, keys: [key], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(199))
        #expect(clock.sleeperCount == 1)
        // Stuck behind the cancelled caller it would wake here and sleep again, a millisecond at a time, forever;
        // planned after the cancelled caller's moment it would sleep on to 400 ms.
        clock.advance(by: .milliseconds(1))
        #expect(try await next.granted() == .milliseconds(200))
    }
}
