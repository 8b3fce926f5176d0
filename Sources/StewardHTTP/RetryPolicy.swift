import Foundation

/// How often and how patiently to retry a remote call: a value, so every client states its policy in
/// one place instead of scattering loops through call sites.
///
/// Backoff is exponential with *full jitter* (a random wait between zero and the exponential cap), so
/// many clients that failed together do not retry together. A server's `Retry-After` always wins over
/// the computed backoff. `RemoteCall` runs calls by it; loops that never give up (long polling, a
/// socket that reconnects) take their waits from `wait(after:failures:)`.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first; 1 means never retry.
    public var maxAttempts: Int
    /// The cap for the first retry; doubles after each further failure.
    public var baseDelay: Duration
    /// No computed wait exceeds this (a server's `Retry-After` may).
    public var maxDelay: Duration
    /// A server asking for a longer wait than this is not waited on inside one call: the call fails and
    /// its caller (a user waiting, the next sync round) decides. Nil = always wait.
    public var longestServerWait: Duration?

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                longestServerWait: Duration? = nil) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.longestServerWait = longestServerWait
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The exponential cap after `failures` consecutive failures (1 = the first failure): `base * 2^(failures-1)`,
    /// never above `maxDelay`.
    public func ceiling(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 40)
        let ceiling = baseDelay.seconds * pow(2, Double(exponent))
        return .seconds(min(ceiling, maxDelay.seconds))
    }

    /// A full-jitter wait after `failures` consecutive failures: uniformly random in `0...ceiling`.
    public func backoff(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = self.ceiling(afterFailures: failures).seconds
        guard ceiling > 0 else { return .zero }
        return .seconds(Double.random(in: 0...ceiling, using: &generator))
    }

    public func backoff(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return backoff(afterFailures: failures, using: &generator)
    }

    /// What to wait before attempt `attempt + 1`, or nil when `attempt` was the last allowed one.
    /// `retryAfter` (from the server) replaces the computed backoff.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        return retryAfter ?? backoff(afterFailures: attempt)
    }

    /// The wait before trying again in a loop that never gives up (long polling, a socket that
    /// reconnects), after `failures` consecutive failures: the server's wait when it named one; the full
    /// ceiling when retrying cannot help soon (refused credentials, a conflict: a configuration problem,
    /// no hurry); otherwise full-jitter backoff, but never a hot loop of zero waits. `failure` is nil for
    /// a failure that is not the remote side's (storing a batch).
    public func wait(after failure: RemoteFailure?, failures: Int) -> Duration {
        if let retryAfter = failure?.retryAfter { return retryAfter }
        if let failure, !failure.isRetryable { return ceiling(afterFailures: failures) }
        return max(backoff(afterFailures: failures), min(.milliseconds(100), maxDelay))
    }

    /// Runs `operation` until it succeeds, `decide` says stop, or the attempts are used up; the last
    /// error is rethrown. Waiting honours task cancellation. (`RemoteCall` without a breaker or limiter.)
    public func run<T: Sendable>(
        _ operation: (_ attempt: Int) async throws -> T,
        decide: (any Error) -> RetryDecision
    ) async throws -> T {
        try await RemoteCall(policy: self).run(classify: { error in
            switch decide(error) {
            case .fail: nil
            case .retry: .unavailable
            case .retryAfter(let wait): .rateLimited(retryAfter: wait)
            }
        }, operation)
    }

    /// Parses an HTTP `Retry-After` value: delay-seconds (`120`) or an HTTP-date. Nil when absent or malformed.
    public static func retryAfter(from header: String?, now: Date = Date()) -> Duration? {
        guard let value = header?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0, seconds.isFinite { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }
}

/// What a `RetryPolicy` should do about one failure.
public enum RetryDecision: Sendable, Equatable {
    /// Permanent: rethrow at once.
    case fail
    /// Transient: retry after the policy's backoff.
    case retry
    /// The server named the wait.
    case retryAfter(Duration)
}
