import Foundation
import Hummingbird
import HummingbirdTesting
import StewardHTTP
import StewardTesting
import Testing

@Suite("StewardHTTP: retry policy, rate limiter, circuit breaker, transport")
struct StewardHTTPTests {
    @Test func backoffCeilingDoublesAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.ceiling(afterFailures: 1) == .milliseconds(100))
        #expect(policy.ceiling(afterFailures: 2) == .milliseconds(200))
        #expect(policy.ceiling(afterFailures: 4) == .milliseconds(800))
        #expect(policy.ceiling(afterFailures: 5) == .seconds(1))
        #expect(policy.ceiling(afterFailures: 60) == .seconds(1))
    }

    @Test func fullJitterStaysBetweenZeroAndTheCeilingAndVaries() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        let samples = (0..<500).map { _ in policy.backoff(afterFailures: 3) }
        #expect(samples.allSatisfy { $0 >= .zero && $0 <= .milliseconds(400) })
        #expect(Set(samples.map(\.milliseconds)).count > 50, "jitter should spread the waits")
    }

    @Test func delayGivesUpAfterTheLastAttemptAndPrefersRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        #expect(policy.delay(afterAttempt: 3) == nil)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(RetryPolicy.none.delay(afterAttempt: 1) == nil)
    }

    @Test func retryAfterHeaderParsesSecondsAndHTTPDates() {
        #expect(RetryPolicy.retryAfter(from: "120") == .seconds(120))
        #expect(RetryPolicy.retryAfter(from: " 1.5 ") == .seconds(1.5))
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.retryAfter(from: "Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryPolicy.retryAfter(from: "soon") == nil)
        #expect(RetryPolicy.retryAfter(from: "-3") == nil)
        #expect(RetryPolicy.retryAfter(from: nil) == nil)
    }

    @Test func runRetriesTransientFailuresAndStopsOnPermanentOnes() async throws {
        struct Flaky: Error {}
        struct Fatal: Error {}
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let value = try await policy.run({ attempt in
            if attempt < 3 { throw Flaky() }
            return attempt
        }, decide: { _ in .retry })
        #expect(value == 3)

        let attempts = Counter()
        await #expect(throws: Fatal.self) {
            _ = try await policy.run({ _ -> Int in
                await attempts.increment()
                throw Fatal()
            }, decide: { $0 is Fatal ? .fail : .retry })
        }
        #expect(await attempts.value == 1)

        await #expect(throws: Flaky.self) {
            _ = try await policy.run({ _ -> Int in
                await attempts.increment()
                throw Flaky()
            }, decide: { _ in .retry })
        }
        #expect(await attempts.value == 6, "one fatal attempt, then all five allowed attempts")
    }

    @Test func limiterSpacesGrantsOfOneKey() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        #expect(try await LimiterCall(limiter, keys: [key], clock: clock).granted() == .zero, "the first is free")
        for grant in 1...3 {
            let next = LimiterCall(limiter, keys: [key], clock: clock)
            try await waitUntil { clock.sleeperCount == 1 }
            clock.advance(by: .milliseconds(99))
            #expect(clock.sleeperCount == 1, "not before an interval has passed")
            clock.advance(by: .milliseconds(1))
            #expect(try await next.granted() == .milliseconds(100 * grant), "grants are exactly an interval apart")
        }
    }

    @Test func limiterKeysAreIndependentAndTheGlobalKeyHoldsAll() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let slow = RateLimiter.Limit(count: 1, per: .seconds(1))
        for chat in 1...3 {
            let call = LimiterCall(limiter, keys: [.init("chat:\(chat)", slow)], clock: clock)
            #expect(try await call.granted() == .zero, "different chats do not wait for each other")
        }

        let global = RateLimiter.Key("global", .init(count: 1, per: .milliseconds(150)))
        #expect(try await LimiterCall(limiter, keys: [.init("chat:4", slow), global], clock: clock).granted() == .zero)
        let fifth = LimiterCall(limiter, keys: [.init("chat:5", slow), global], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(149))
        #expect(clock.sleeperCount == 1, "a shared global bucket spaces different chats")
        clock.advance(by: .milliseconds(1))
        #expect(try await fifth.granted() == .milliseconds(150))
    }

    @Test func limiterLetsAWindowFullGoThenWaitsForTheOldestToAge() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("group:1", .init(count: 3, per: .milliseconds(300)))
        for _ in 0..<3 {
            #expect(try await LimiterCall(limiter, keys: [key], clock: clock).granted() == .zero,
                    "three in a window may go at once")
        }
        let fourth = LimiterCall(limiter, keys: [key], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(299))
        #expect(clock.sleeperCount == 1, "the fourth waits until the first is a period old")
        clock.advance(by: .milliseconds(1))
        #expect(try await fourth.granted() == .milliseconds(300))
    }

    @Test func settlingStartsTheWindowWhenTheRequestEnded() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        #expect(try await LimiterCall(limiter, keys: [key], clock: clock).granted() == .zero)
        clock.advance(by: .milliseconds(80))  // the request took 80 ms
        await limiter.settle(keys: [key])
        let next = LimiterCall(limiter, keys: [key], clock: clock)
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(99))  // 179 ms: well past a period after the grant
        #expect(clock.sleeperCount == 1, "a full period after the end, not after the grant")
        clock.advance(by: .milliseconds(1))
        #expect(try await next.granted() == .milliseconds(180))
    }

    @Test func pauseHoldsEveryoneAndKeepsOrderAndSpacing() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        #expect(try await LimiterCall(limiter, keys: [key], clock: clock).granted() == .zero)
        // Called in order 1, 2, 3: each is asleep on its reservation (100, 200, 300 ms) before the next calls.
        var waiters: [LimiterCall] = []
        for count in 1...3 {
            waiters.append(LimiterCall(limiter, keys: [key], clock: clock))
            try await waitUntil { clock.sleeperCount == count }
        }
        clock.advance(by: .milliseconds(40))
        await limiter.pauseAll(for: .milliseconds(400))  // until 440 ms
        let otherChat = LimiterCall(limiter, keys: [.init("other-chat", key.limit)], clock: clock)
        try await waitUntil { clock.sleeperCount == 4 }

        // Past every waiter's original reservation: each wakes, follows the pause, and sleeps again.
        clock.advance(by: .milliseconds(399))
        try await waitUntil { clock.sleeperCount == 4 }
        for call in waiters + [otherChat] { #expect(await call.grantedAt == nil, "a pause holds every key") }
        clock.advance(by: .milliseconds(1))
        #expect(try await otherChat.granted() == .milliseconds(440), "a new caller goes when the pause ends")

        // Reserved before the pause at 100, 200, 300 ms, each moved back 400 ms: order and spacing survive.
        for (index, waiter) in waiters.enumerated() {
            let reserved = Duration.milliseconds(500 + 100 * index)
            clock.advance(by: reserved - .milliseconds(1) - clock.now)
            #expect(clock.sleeperCount == 3 - index, "still an interval apart")
            clock.advance(by: .milliseconds(1))
            try await waitUntil { await waiters.asyncCount { await $0.grantedAt != nil } == index + 1 }
            #expect(await waiter.grantedAt == reserved, "order survives the pause")
        }
    }

    @Test func breakerOpensHalfOpensAndCloses() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(1), clock: clock)
        for _ in 0..<2 { await breaker.recordFailure() }
        #expect(await breaker.allowRequest())
        await breaker.recordFailure()
        #expect(await breaker.state == .open)
        #expect(await !breaker.allowRequest())
        clock.advance(by: .milliseconds(999))
        #expect(await breaker.state == .open, "not before the cool-down has passed")
        clock.advance(by: .milliseconds(1))
        #expect(await breaker.state == .halfOpen)
        #expect(await breaker.allowRequest(), "one trial call")
        #expect(await !breaker.allowRequest(), "only one at a time")
        await breaker.recordFailure()
        #expect(await breaker.state == .open, "a failed trial opens it again")
        clock.advance(by: .milliseconds(999))
        #expect(await !breaker.allowRequest(), "for a whole cool-down again")
        clock.advance(by: .milliseconds(1))
        #expect(await breaker.allowRequest())
        await breaker.recordSuccess()
        #expect(await breaker.state == .closed)
    }

    @Test func transportReportsTimeoutsAndRefusedConnections() async throws {
        let fake = FakeTelegramServer()
        try await fake.start()
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let base = try await fake.baseURL
        let url = base.appendingPathComponent("bot\(fake.token)").appendingPathComponent("getMe")

        // A generous timeout for the request that should succeed: at the start of a parallel run the two cores
        // are shared by hundreds of tests, and a loop once took longer than 5 s to answer.
        let ok = try await transport.send(HTTPRequestSpec(method: "POST", url: url, timeout: .seconds(30)))
        #expect(ok.status == 200)
        #expect(ok.header("content-type") == "application/json")

        await fake.injectFault(.delay(.seconds(5)), method: "getMe")
        await #expect(throws: HTTPTransportError.timeout()) {
            _ = try await transport.send(HTTPRequestSpec(method: "POST", url: url, timeout: .milliseconds(300)))
        }
        await fake.stop()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequestSpec(method: "POST", url: url, timeout: .seconds(2)))
        }
        #expect(error?.isTransient == true)
        #expect(error.map { !String(describing: $0).contains(fake.token) } ?? false)
        try await transport.shutdown()
    }

    /// A transport released without `shutdown()` shuts its client down itself. Without that, a debug build's
    /// AsyncHTTPClient traps in its deinit: one test failing before its `shutdown()` once ended a whole
    /// parallel run (and hid what had failed). The trap is this test's failure.
    @Test func aTransportReleasedWithoutShutdownClosesItsClientInsteadOfTrapping() async throws {
        let fake = FakeTelegramServer()
        try await fake.start()
        let url = try await fake.baseURL.appendingPathComponent("bot\(fake.token)").appendingPathComponent("getMe")
        var transport: AsyncHTTPTransport? = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let ok = try await transport?.send(HTTPRequestSpec(method: "POST", url: url, timeout: .seconds(30)))
        #expect(ok?.status == 200)
        transport = nil
        // The pool that held a connection is gone: the fake still answers a new client.
        let fresh = AsyncHTTPTransport(connectTimeout: .seconds(30))
        #expect(try await fresh.send(HTTPRequestSpec(method: "POST", url: url, timeout: .seconds(30))).status == 200)
        try await fresh.shutdown()
        await fake.stop()
    }

    /// Nothing listening is an answer at once: the transport doesn't retry the connection inside the pool until
    /// the connect timeout (RemoteCall retries by each API's policy), so a dead address costs milliseconds.
    @Test func aRefusedConnectionFailsAtOnceNotAfterTheConnectTimeout() async throws {
        let closedPort = try await Application(router: Router()).test(.live) { client in client.port }
        let port = try #require(closedPort)  // the server is gone: connecting is refused
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/nothing"))
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequestSpec(method: "GET", url: url, timeout: .seconds(30)))
        }
        #expect(error?.isTransient == true)
        #expect(ContinuousClock.now - started < .seconds(10), "a refused connection waited for the connect timeout")
        try await transport.shutdown()
    }

    /// A body over the transport's limit fails as too large (not as a broken connection), and one under it
    /// arrives whole: a hostile or broken server can't make Steward hold an unbounded answer.
    @Test func aBodyOverTheLimitFailsAsTooLargeAndOneUnderItArrives() async throws {
        let router = Router()
        router.get("big") { _, _ in String(repeating: "x", count: 100_000) }
        router.get("small") { _, _ in String(repeating: "y", count: 5_000) }
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30), maxResponseBytes: 10_000)
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let big = try #require(URL(string: "http://127.0.0.1:\(port)/big"))
            await #expect(throws: HTTPTransportError.responseTooLarge()) {
                _ = try await transport.send(HTTPRequestSpec(url: big, timeout: .seconds(30)))
            }
            let small = try #require(URL(string: "http://127.0.0.1:\(port)/small"))
            let answer = try await transport.send(HTTPRequestSpec(url: small, timeout: .seconds(30)))
            #expect(answer.status == 200)
            #expect(answer.body.count == 5_000)
        }
        try await transport.shutdown()
    }

    /// A server that sends the head and then stalls mid-body still times out when the request's time is up.
    @Test func aBodyThatStallsTimesOut() async throws {
        let router = Router()
        router.post("stall") { _, _ -> Response in
            Response(status: .ok, headers: [.contentLength: "100", .contentType: "application/json"],
                     body: ResponseBody { writer in
                         try await writer.write(ByteBuffer(string: "{\"ok\":"))
                         try await Task.sleep(for: .seconds(12))
                         try await writer.finish(nil)
                     })
        }
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(2))
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/stall"))
            let started = ContinuousClock.now
            await #expect(throws: HTTPTransportError.timeout()) {
                _ = try await transport.send(HTTPRequestSpec(method: "POST", url: url, timeout: .milliseconds(500)))
            }
            // Well before the 12 s stall ends: it gave up at its own deadline, not when the server went on. (A
            // bound near the 0.5 s deadline failed on a loaded CI machine at 3.05 s; the server's shutdown
            // waits out the stall, so a longer one lengthens the test.)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        try await transport.shutdown()
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
