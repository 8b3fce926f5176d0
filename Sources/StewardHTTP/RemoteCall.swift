import Foundation

/// The one remote-call pipeline every client uses: one value that holds the retry policy, the circuit
/// breaker and the rate limiter of one API, and runs each call through them. A client adds only its
/// API's classification (its errors → `RemoteFailure`); waits, retries, the breaker's bookkeeping and a
/// 429's pause are decided here, the same way for every API.
///
/// One `run`:
/// 1. an open breaker fails the call at once with the client's own "unavailable" error;
/// 2. each attempt first waits for the limiter (`keys`: throttle *before* sending; `[]` only waits out
///    a pause; nil skips the limiter) and settles it when the attempt ends;
/// 3. a failure is classified; a rate limit pauses *every* caller of the limiter for the server's wait;
/// 4. a retryable failure is retried after the server's wait (`Retry-After` wins) or the policy's
///    full-jitter backoff, until `policy.maxAttempts`; a server wait above `policy.longestServerWait`
///    is not waited out inside one call;
/// 5. the breaker hears the outcome once per call: success closes it, a sign the service is down
///    counts against it, anything else (cancelled, refused, rate-limited) leaves it as it is.
/// The error thrown is always the operation's own, so callers keep their API's error types.
public struct RemoteCall: Sendable {
    public var policy: RetryPolicy
    public var breaker: CircuitBreaker?
    public var limiter: RateLimiter?
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - clock: what retry waits sleep on (tests pass a manual clock).
    ///   - sleep: replaces the clock's sleep for retry waits (tests that record waits).
    public init(policy: RetryPolicy, breaker: CircuitBreaker? = nil, limiter: RateLimiter? = nil,
                clock: any RemoteClock = ContinuousRemoteClock(),
                sleep: (@Sendable (Duration) async throws -> Void)? = nil) {
        self.policy = policy
        self.breaker = breaker
        self.limiter = limiter
        self.sleeper = sleep ?? { try await clock.sleep(for: $0) }
    }

    /// The same pipeline with another retry policy (a long message's later chunks retry; its first does not).
    public func retrying(_ policy: RetryPolicy) -> RemoteCall {
        var copy = self
        copy.policy = policy
        return copy
    }

    /// Runs `operation` (given the attempt number, from 1) through the pipeline.
    /// - Parameters:
    ///   - keys: limiter buckets each attempt takes from; nil = not throttled.
    ///   - classify: the API's classification; nil = not a remote failure (rethrown at once, breaker untouched).
    ///   - whenOpen: the client's error for "the breaker is open".
    ///   - willRetry: hears each retry (the failure, the wait, the attempt that failed), for logs.
    public func run<T: Sendable>(
        keys: [RateLimiter.Key]? = nil,
        classify: (any Error) -> RemoteFailure?,
        whenOpen: () -> any Error = { RemoteFailure.unavailable.with(detail: "circuit breaker open") },
        willRetry: (RemoteFailure, Duration, Int) -> Void = { _, _, _ in },
        _ operation: (_ attempt: Int) async throws -> T
    ) async throws -> T {
        if let breaker, await !breaker.allowRequest() { throw whenOpen() }
        var attempt = 1
        while true {
            let error: any Error
            do {
                let value = try await attempted(keys: keys) { try await operation(attempt) }
                await breaker?.recordSuccess()
                return value
            } catch let caught {
                error = caught
            }
            guard !(error is CancellationError), let failure = classify(error) else {
                await breaker?.recordNeutral()
                throw error
            }
            if failure == .rateLimited, let limiter, let wait = failure.retryAfter {
                await limiter.pauseAll(for: wait)
            }
            guard failure.isRetryable, let wait = wait(after: failure, attempt: attempt, throttled: keys != nil) else {
                await record(failure)
                throw error
            }
            willRetry(failure, wait, attempt)
            do {
                try await sleeper(wait)
            } catch {
                await breaker?.recordNeutral()
                throw error
            }
            attempt += 1
        }
    }

    private func attempted<T: Sendable>(keys: [RateLimiter.Key]?, _ call: () async throws -> T) async throws -> T {
        guard let limiter, let keys else { return try await call() }
        try await limiter.acquire(keys: keys)
        do {
            let value = try await call()
            await limiter.settle(keys: keys)
            return value
        } catch {
            await limiter.settle(keys: keys)
            throw error
        }
    }

    /// The wait before the next attempt, or nil when there is none.
    private func wait(after failure: RemoteFailure, attempt: Int, throttled: Bool) -> Duration? {
        if let serverWait = failure.retryAfter, let longest = policy.longestServerWait, serverWait > longest { return nil }
        guard let wait = policy.delay(afterAttempt: attempt, retryAfter: failure.retryAfter) else { return nil }
        // The limiter is paused for the server's wait already; the next attempt's acquire waits it out.
        if failure == .rateLimited, failure.retryAfter != nil, limiter != nil, throttled { return .zero }
        return wait
    }

    private func record(_ failure: RemoteFailure) async {
        if failure.meansServiceDown { await breaker?.recordFailure() } else { await breaker?.recordNeutral() }
    }
}
