import Foundation
import StewardCore

/// Fetches published calendar feeds (`.ics` URLs) through the remote-call pipeline, for `ICSURLProvider`
/// (which stays free of HTTP and only sees `HTTPFetching`).
///
/// - A feed that answers 5xx, 429 or 408, times out or drops the connection is asked again by `policy`
///   (the server's `Retry-After` first, then full-jitter backoff), so one hiccup doesn't show as a stale
///   calendar. A refusal (401/403: the secret address was reset; 404/410: the feed is gone) is not retried.
/// - Each host has its own circuit breaker: a calendar server that is down is left alone for a while
///   (the provider answers from its saved copy meanwhile), and it costs no other host anything. Many
///   people's feeds often share one host (Google, Outlook), so the breaker is per host, not per URL.
/// - What a feed finally answered is returned as its status, as before (the provider words the message);
///   only an open breaker and a transport failure throw. No error or log line carries the URL's path,
///   which usually holds a secret token.
public final class ICSFeedFetcher: HTTPFetching {
    /// Someone is usually waiting on the answer (`/today`), and the provider has a saved copy to fall
    /// back on: a few quick tries, never a long server wait.
    public static let defaultPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(4),
                                                  longestServerWait: .seconds(10))

    private let transport: any HTTPTransport
    private let policy: RetryPolicy
    private let failureThreshold: Int
    private let coolDown: Duration
    private let clock: any RemoteClock
    private let sleep: (@Sendable (Duration) async throws -> Void)?
    private let timeout: Duration
    private let breakers = Locked<[String: CircuitBreaker]>([:])

    /// - Parameters:
    ///   - failureThreshold: failed fetches in a row (each after its retries) that open a host's breaker.
    ///   - coolDown: how long an open breaker refuses before one trial fetch.
    ///   - clock: what breakers and retry waits read (tests pass a manual clock).
    public init(transport: any HTTPTransport, policy: RetryPolicy = ICSFeedFetcher.defaultPolicy,
                failureThreshold: Int = 3, coolDown: Duration = .seconds(120),
                clock: any RemoteClock = ContinuousRemoteClock(),
                sleep: (@Sendable (Duration) async throws -> Void)? = nil, timeout: Duration = .seconds(30)) {
        self.transport = transport
        self.policy = policy
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
        self.clock = clock
        self.sleep = sleep
        self.timeout = timeout
    }

    public func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        let host = url.host?.lowercased() ?? ""
        let call = RemoteCall(policy: policy, breaker: breaker(for: host), clock: clock, sleep: sleep)
        var headers: [(name: String, value: String)] = []
        if let etag { headers.append((name: "If-None-Match", value: etag)) }
        let request = HTTPRequestSpec(method: "GET", url: url, headers: headers, timeout: timeout)
        do {
            return try await call.run(classify: Self.classify, whenOpen: { self.resting() }) { _ in
                let response = try await transport.send(request)
                if let failure = RemoteFailure.from(response) { throw FeedAnswer(status: response.status, failure: failure) }
                return (response.status, response.header("ETag"), response.status == 304 ? Data() : response.body)
            }
        } catch let answer as FeedAnswer {
            return (answer.status, nil, Data())
        }
    }

    /// The state of `host`'s breaker (for tests and diagnostics); `.closed` for a host never fetched.
    public func breakerState(host: String) async -> CircuitBreaker.State {
        guard let breaker = breakers.withLock({ $0[host.lowercased()] }) else { return .closed }
        return await breaker.state
    }

    /// ICS feeds in the shared error shape: a feed's failing status by HTTP's reading (`Retry-After`
    /// included), a transport failure as timeout or network; nil for anything else (cancellation).
    public static func classify(_ error: any Error) -> RemoteFailure? {
        if let answer = error as? FeedAnswer { return answer.failure }
        return RemoteFailure.from(transportError: error)
    }

    private func breaker(for host: String) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let known = breakers[host] { return known }
            let made = CircuitBreaker(failureThreshold: failureThreshold, coolDown: coolDown, clock: clock)
            breakers[host] = made
            return made
        }
    }

    /// The reason an open breaker gives; the provider names the host around it.
    private func resting() -> CalendarError {
        let minutes = max(1, Int((Double(coolDown.components.seconds) / 60).rounded(.up)))
        return CalendarError("it failed \(failureThreshold) times in a row, so Steward asks it again within "
                             + (minutes == 1 ? "a minute" : "\(minutes) minutes"))
    }
}

/// A feed's failing answer, carried through the pipeline so it can be retried and then handed back as a status.
struct FeedAnswer: Error {
    var status: Int
    var failure: RemoteFailure
}
