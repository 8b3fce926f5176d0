import Foundation
import StewardHTTP
import StewardTesting
import Testing

/// An API's own error, carrying the class its classifier gave it.
private struct APIError: Error {
    var failure: RemoteFailure
}

private struct ServiceDown: Error {}

private actor Recorder<Value: Sendable> {
    private(set) var values: [Value] = []
    func append(_ value: Value) { values.append(value) }
}

private actor Flag {
    private(set) var isSet = false
    func set() { isSet = true }
}

@Suite("RemoteCall: retries by the policy, the server's wait first")
struct RemoteCallRetryTests {
    @Test func retryHonoursRetryAfterThenStopsAtTheMaximum() async throws {
        let waits = Recorder<Duration>()
        let call = RemoteCall(policy: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1)),
                              sleep: { await waits.append($0) })
        let attempts = Recorder<Int>()
        let error = await #expect(throws: APIError.self) {
            _ = try await call.run(classify: { ($0 as? APIError)?.failure }) { attempt -> Int in
                await attempts.append(attempt)
                throw APIError(failure: attempt <= 2 ? .rateLimited(retryAfter: .seconds(7)) : .unavailable)
            }
        }
        #expect(await attempts.values == [1, 2, 3, 4], "four attempts, then no more")
        #expect(error?.failure == .unavailable, "the caller gets the API's own last error")
        let slept = await waits.values
        #expect(slept.count == 3)
        #expect(Array(slept.prefix(2)) == [.seconds(7), .seconds(7)], "Retry-After wins over the backoff")
        #expect(slept[2] >= .zero && slept[2] <= .milliseconds(400), "then full jitter under the third ceiling")
    }

    @Test func aServerWaitLongerThanTheLongestIsNotWaitedInsideTheCall() async throws {
        let waits = Recorder<Duration>()
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .seconds(1), longestServerWait: .seconds(30))
        let call = RemoteCall(policy: policy, sleep: { await waits.append($0) })
        let attempts = Recorder<Int>()
        await #expect(throws: APIError.self) {
            _ = try await call.run(classify: { ($0 as? APIError)?.failure }) { attempt -> Int in
                await attempts.append(attempt)
                throw APIError(failure: .rateLimited(retryAfter: .seconds(120)))
            }
        }
        #expect(await attempts.values == [1])
        #expect(await waits.values.isEmpty)
    }

    @Test func refusalsAndUnclassifiedErrorsAreNotRetriedAndSuccessEndsTheCall() async throws {
        let waits = Recorder<Duration>()
        let call = RemoteCall(policy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10)), sleep: { await waits.append($0) })
        for failure in [RemoteFailure.unauthorized, .notFound, .rejected] {
            let attempts = Recorder<Int>()
            await #expect(throws: APIError.self) {
                _ = try await call.run(classify: { ($0 as? APIError)?.failure }) { attempt -> Int in
                    await attempts.append(attempt)
                    throw APIError(failure: failure)
                }
            }
            #expect(await attempts.values == [1], "\(failure) is not retried")
        }
        let attempts = Recorder<Int>()
        await #expect(throws: ServiceDown.self) {
            _ = try await call.run(classify: { _ in nil }) { attempt -> Int in
                await attempts.append(attempt)
                throw ServiceDown()
            }
        }
        #expect(await attempts.values == [1], "an error the API's classifier does not know is rethrown at once")
        #expect(await waits.values.isEmpty)

        let value = try await call.run(classify: { ($0 as? APIError)?.failure }) { attempt in
            if attempt < 3 { throw APIError(failure: attempt == 1 ? .timeout : .network) }
            return attempt
        }
        #expect(value == 3, "timeouts and dropped connections are retried")
    }

    @Test func loopsThatNeverGiveUpWaitTheServersTimeOrJitteredBackoff() {
        let policy = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.wait(after: .rateLimited(retryAfter: .seconds(3)), failures: 5) == .seconds(3))
        #expect(policy.wait(after: .unauthorized, failures: 3) == .milliseconds(400), "a refused token: the full ceiling, no hurry")
        let samples = (0..<300).map { _ in policy.wait(after: .network, failures: 3) }
        #expect(samples.allSatisfy { $0 >= .milliseconds(100) && $0 <= .milliseconds(400) }, "jittered, never a hot loop")
        #expect(Set(samples.map(\.milliseconds)).count > 30, "jitter spreads the waits")
        #expect(policy.wait(after: nil, failures: 60) <= .seconds(1), "capped at the maximum")
    }
}

@Suite("RemoteCall: the circuit breaker, on a manual clock")
struct RemoteCallBreakerTests {
    @Test func theBreakerOpensAfterNFailuresHalfOpensAfterTheCoolDownAndClosesOnSuccess() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(30), clock: clock)
        let call = RemoteCall(policy: .none, breaker: breaker, clock: clock)
        let sent = Recorder<Int>()
        func run(_ failure: RemoteFailure?) async throws {
            try await call.run(classify: { ($0 as? APIError)?.failure }, whenOpen: { ServiceDown() }) { _ in
                await sent.append(1)
                if let failure { throw APIError(failure: failure) }
            }
        }
        for _ in 0..<5 { await #expect(throws: APIError.self) { try await run(.rateLimited(retryAfter: .seconds(1))) } }
        #expect(await breaker.state == .closed, "a rate limit means the service is up")
        for _ in 0..<3 { await #expect(throws: APIError.self) { try await run(.unavailable) } }
        #expect(await breaker.state == .open)
        await #expect(throws: ServiceDown.self) { try await run(nil) }
        #expect(await sent.values.count == 8, "an open breaker sends nothing")

        clock.advance(by: .seconds(30) - .milliseconds(1))
        #expect(await breaker.state == .open)
        clock.advance(by: .milliseconds(1))
        #expect(await breaker.state == .halfOpen)
        await #expect(throws: APIError.self) { try await run(.timeout) }
        #expect(await breaker.state == .open, "a failed trial opens it for another cool-down")
        await #expect(throws: ServiceDown.self) { try await run(nil) }

        clock.advance(by: .seconds(30))
        try await run(nil)
        #expect(await breaker.state == .closed, "a successful trial closes it")
        try await run(nil)
        #expect(await sent.values.count == 11)
    }
}

@Suite("RemoteCall: throttling before sending, on a manual clock")
struct RemoteCallLimiterTests {
    @Test func nPerWindowGoAtOnceThenTheNextWaitsForTheOldestToAge() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let call = RemoteCall(policy: .none, limiter: limiter, clock: clock)
        let key = RateLimiter.Key("group:1", .init(count: 3, per: .seconds(10)))
        let sentAt = Recorder<Duration>()
        @Sendable func send() async throws {
            try await call.run(keys: [key], classify: { _ in nil }) { _ in await sentAt.append(clock.now) }
        }
        for _ in 0..<3 { try await send() }
        let fourth = Task { try await send() }
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(10) - .milliseconds(1))
        #expect(await sentAt.values == [.zero, .zero, .zero], "not sent before the window allows it")
        clock.advance(by: .milliseconds(1))
        try await fourth.value
        #expect(await sentAt.values == [.zero, .zero, .zero, .seconds(10)])
    }

    @Test func aRateLimitPausesEveryKeyAndTheRetryWaitsItOut() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let call = RemoteCall(policy: RetryPolicy(maxAttempts: 2), limiter: limiter, clock: clock)
        let chatA = RateLimiter.Key("chat:a", .perSecond(1))
        let chatB = RateLimiter.Key("chat:b", .perSecond(1))
        let sentAt = Recorder<Duration>()
        let first = Task {
            try await call.run(keys: [chatA], classify: { ($0 as? APIError)?.failure }) { attempt in
                await sentAt.append(clock.now)
                if attempt == 1 { throw APIError(failure: .rateLimited(retryAfter: .seconds(30))) }
            }
        }
        try await waitUntil { clock.sleeperCount == 1 }
        #expect(await limiter.remainingPause == .seconds(30))
        let otherChat = Flag()
        let other = Task {
            try await limiter.acquire(keys: [chatB])
            await otherChat.set()
        }
        try await waitUntil { clock.sleeperCount == 2 }
        clock.advance(by: .seconds(29))
        #expect(await !otherChat.isSet, "a 429 holds every key")
        #expect(await sentAt.values == [.zero])
        clock.advance(by: .seconds(1))
        try await first.value
        try await other.value
        #expect(await sentAt.values == [.zero, .seconds(30)], "the retry went when the server's wait was over")
    }

    @Test func aBusyKeyDoesNotHoldOthersAndOneKeysCallersGoInOrder() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let perChat = RateLimiter.Limit(count: 1, per: .seconds(2))
        let global = RateLimiter.Key("global", .init(count: 100, per: .seconds(1)))
        let busy = RateLimiter.Key("chat:busy", perChat)
        try await limiter.acquire(keys: [busy, global])
        let order = Recorder<String>()
        let second = Task {
            try await limiter.acquire(keys: [busy, global])
            await order.append("busy 2")
        }
        try await waitUntil { clock.sleeperCount == 1 }
        let third = Task {
            try await limiter.acquire(keys: [busy, global])
            await order.append("busy 3")
        }
        try await waitUntil { clock.sleeperCount == 2 }
        // Another chat sharing the global limit goes at once, with the clock standing still.
        try await limiter.acquire(keys: [.init("chat:quiet", perChat), global])
        #expect(await order.values.isEmpty)
        clock.advance(by: .seconds(2))
        try await second.value
        #expect(await order.values == ["busy 2"], "the next of the busy chat after its window, the one behind it still waits")
        clock.advance(by: .seconds(2))
        try await third.value
        #expect(await order.values == ["busy 2", "busy 3"])
    }
}

@Suite("RemoteFailure: the shared classes")
struct RemoteFailureTests {
    @Test func plainHTTPStatusesAndTransportErrorsFallIntoClasses() {
        #expect(RemoteFailure.from(status: 200) == nil)
        let limited = RemoteFailure.from(HTTPResponseSpec(status: 429, headers: [(name: "retry-after", value: "12")]))
        #expect(limited == .rateLimited && limited?.retryAfter == .seconds(12))
        #expect(RemoteFailure.from(status: 503) == .unavailable)
        #expect(RemoteFailure.from(status: 401) == .unauthorized)
        #expect(RemoteFailure.from(status: 404) == .notFound)
        #expect(RemoteFailure.from(status: 422) == .rejected)
        #expect(RemoteFailure.from(transportError: HTTPTransportError.timeout()) == .timeout)
        #expect(RemoteFailure.from(transportError: HTTPTransportError.connection()) == .network)
        #expect(RemoteFailure.from(transportError: CancellationError()) == nil)
        let retryable = [RemoteFailure.rateLimited, .unavailable, .timeout, .network].map(\.isRetryable)
        #expect(retryable == [true, true, true, true])
        let final = [RemoteFailure.unauthorized, .notFound, .rejected].map(\.isRetryable)
        #expect(final == [false, false, false])
        #expect(!RemoteFailure.rateLimited.meansServiceDown && RemoteFailure.timeout.meansServiceDown)
    }
}
