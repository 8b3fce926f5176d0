import Foundation
@testable import StewardHTTP
import StewardTesting
import Testing

/// A limiter that runs for months sees a key per chat it ever wrote to: what no caller can be held by any
/// more is forgotten, and what someone still waits on is not.
@Suite struct RateLimiterMemoryTests {
    @Test func spentKeysAreForgottenAndAWaitingCallerKeepsItsPlace() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let limit = RateLimiter.Limit(count: 1, per: .seconds(10))
        // 4,200 chats written to once, at 0 s.
        for chat in 0..<4_200 { try await limiter.acquire(keys: [.init("chat:old\(chat)", limit)]) }
        clock.advance(by: .seconds(10))
        // At 10 s one chat's second message must wait until 20 s…
        let waitingKey = RateLimiter.Key("chat:waiting", limit)
        #expect(try await LimiterCall(limiter, keys: [waitingKey], clock: clock).granted() == .seconds(10))
        let waiting = LimiterCall(limiter, keys: [waitingKey], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        // …while enough other requests pass for the limiter to tidy up (it looks every 4,096 calls).
        for chat in 0..<4_096 { try await limiter.acquire(keys: [.init("chat:new\(chat)", limit)]) }
        // The old chats' windows ended at 10 s: they are gone. Kept: the waiting chat and the new ones.
        let kept = await limiter.keptKeyCount
        #expect(kept <= 4_097, "\(kept) keys kept; the 4,200 spent ones should have been forgotten")
        #expect(kept > 1)
        // The waiting caller still has its reservation and its turn.
        clock.advance(by: .seconds(9))
        #expect(await waiting.grantedAt == nil)
        clock.advance(by: .seconds(1))
        #expect(try await waiting.granted() == .seconds(20))
        // A forgotten chat is like a new one: it may send at once.
        #expect(try await LimiterCall(limiter, keys: [.init("chat:old7", limit)], clock: clock).granted() == .seconds(20))
    }
}
