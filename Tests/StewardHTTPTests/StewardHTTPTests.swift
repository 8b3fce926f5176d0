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
        let limiter = RateLimiter()
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        let clock = ContinuousClock()
        let start = clock.now
        var grants: [Duration] = []
        for _ in 0..<4 {
            try await limiter.acquire(keys: [key])
            grants.append(clock.now - start)
        }
        #expect(grants[0] < .milliseconds(50), "the first is free")
        // Slots are exactly an interval apart; each wake-up may come a little late, so pairs get slack
        // while the total is exact.
        #expect(grants[3] >= .milliseconds(300))
        for (earlier, later) in zip(grants, grants.dropFirst()) {
            #expect(later - earlier >= .milliseconds(50), "grants must be about an interval apart")
        }
    }

    @Test func limiterKeysAreIndependentAndTheGlobalKeyHoldsAll() async throws {
        let limiter = RateLimiter()
        let slow = RateLimiter.Limit(count: 1, per: .seconds(1))
        let clock = ContinuousClock()
        let start = clock.now
        try await limiter.acquire(keys: [.init("chat:1", slow)])
        try await limiter.acquire(keys: [.init("chat:2", slow)])
        try await limiter.acquire(keys: [.init("chat:3", slow)])
        // Waiting for each other would take 2 s; the margin is for a loaded machine.
        #expect(clock.now - start < .milliseconds(900), "different chats do not wait for each other")

        let global = RateLimiter.Key("global", .init(count: 1, per: .milliseconds(150)))
        let second = clock.now
        try await limiter.acquire(keys: [.init("chat:4", slow), global])
        try await limiter.acquire(keys: [.init("chat:5", slow), global])
        #expect(clock.now - second >= .milliseconds(140), "a shared global bucket spaces different chats")
    }

    @Test func limiterLetsAWindowFullGoThenWaitsForTheOldestToAge() async throws {
        let limiter = RateLimiter()
        let key = RateLimiter.Key("group:1", .init(count: 3, per: .milliseconds(300)))
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<3 { try await limiter.acquire(keys: [key]) }
        // Waiting would take a whole period (300 ms); the margin is for a loaded machine.
        #expect(clock.now - start < .milliseconds(250), "three in a window may go at once")
        try await limiter.acquire(keys: [key])
        #expect(clock.now - start >= .milliseconds(300), "the fourth waits until the first is a period old")
    }

    @Test func settlingStartsTheWindowWhenTheRequestEnded() async throws {
        let limiter = RateLimiter()
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        let clock = ContinuousClock()
        try await limiter.acquire(keys: [key])
        try await Task.sleep(for: .milliseconds(80))  // the request took 80 ms
        await limiter.settle(keys: [key])
        let settled = clock.now
        try await limiter.acquire(keys: [key])
        #expect(clock.now - settled >= .milliseconds(100), "a full period after the end, not after the grant")
    }

    @Test func pauseHoldsEveryoneAndKeepsOrderAndSpacing() async throws {
        let limiter = RateLimiter()
        let key = RateLimiter.Key("chat:1", .init(count: 1, per: .milliseconds(100)))
        let clock = ContinuousClock()
        let start = clock.now
        try await limiter.acquire(keys: [key])
        let log = Log()
        let waiters = (1...3).map { index in
            Task {
                try await Task.sleep(for: .milliseconds(Int64(index) * 5))  // call in order 1, 2, 3
                try await limiter.acquire(keys: [key])
                await log.append(index, at: clock.now - start)
            }
        }
        try await Task.sleep(for: .milliseconds(40))
        await limiter.pauseAll(for: .milliseconds(400))
        try await limiter.acquire(keys: [.init("other-chat", key.limit)])
        let otherChatAt = clock.now - start
        for waiter in waiters { try await waiter.value }
        let entries = await log.entries
        #expect(otherChatAt >= .milliseconds(400), "a pause holds every key")
        #expect(entries.map(\.0) == [1, 2, 3], "order survives the pause")
        #expect(entries[0].1 >= .milliseconds(430))
        // Reserved before the pause (at 100, 200, 300 ms, then moved back 400 ms) or after it (from its
        // end at 440 ms or later, an interval apart): either way the third is at least 640 ms in.
        #expect(entries[2].1 >= .milliseconds(639), "spacing survives the pause")
        for (earlier, later) in zip(entries, entries.dropFirst()) {
            #expect(later.1 - earlier.1 >= .milliseconds(50), "still about an interval apart")
        }
    }

    @Test func breakerOpensHalfOpensAndCloses() async throws {
        // A cool-down a loaded machine can't overrun between two statements.
        let breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(1))
        for _ in 0..<2 { await breaker.recordFailure() }
        #expect(await breaker.allowRequest())
        await breaker.recordFailure()
        #expect(await breaker.state == .open)
        #expect(await !breaker.allowRequest())
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(await breaker.state == .halfOpen)
        #expect(await breaker.allowRequest(), "one trial call")
        #expect(await !breaker.allowRequest(), "only one at a time")
        await breaker.recordFailure()
        #expect(await breaker.state == .open, "a failed trial opens it again")
        try await Task.sleep(for: .milliseconds(1_100))
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
                         try await Task.sleep(for: .seconds(6))
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
            // Well before the stall ends: it gave up at its own deadline, not when the server went on. (A
            // bound near the 0.5 s deadline failed on a loaded CI machine at 3.05 s.)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
        try await transport.shutdown()
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}

actor Log {
    private(set) var entries: [(Int, Duration)] = []
    func append(_ index: Int, at time: Duration) { entries.append((index, time)) }
}
