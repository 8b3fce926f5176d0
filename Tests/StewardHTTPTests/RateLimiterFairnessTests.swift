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

    /// After a waiter is cancelled, the next caller waits for the window of the grant that happened (200 ms),
    /// not forever behind the cancelled one.
    @Test func aCancelledWaiterGivesUpItsTurn() async throws {
        let limiter = RateLimiter()
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(200)))
        try await limiter.acquire(keys: [key])
        let doomed = Task { try await limiter.acquire(keys: [key]) }
        try await Task.sleep(for: .milliseconds(20))
        doomed.cancel()
        _ = await doomed.result
        let clock = ContinuousClock()
        let start = clock.now
        try await limiter.acquire(keys: [key])
        // Stuck behind the cancelled caller it would never return; the bound is loose because suites
        // running beside this one on a 2-core machine delay it by seconds at times.
        #expect(clock.now - start < .seconds(10))
    }
}
