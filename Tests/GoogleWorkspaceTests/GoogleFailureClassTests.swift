import Foundation
@testable import GoogleWorkspace
import StewardHTTP
import Testing

/// Google's error bodies fall into the pipeline's shared classes; its rate limits come as 429 *or* as
/// a 403 whose reason says so.
@Suite("GoogleError.remoteFailure: Google's failures in the shared classes")
struct GoogleFailureClassTests {
    private func failure(_ status: Int, reason: String = "", retryAfter: Duration? = nil) -> RemoteFailure {
        let body = #"{"error":{"code":\#(status),"message":"m","errors":[{"domain":"usageLimits","reason":"\#(reason)","message":"m"}]}}"#
        return GoogleError.fromAPI(status: status, body: Data(body.utf8)).remoteFailure(retryAfter: retryAfter)
    }

    @Test func rateLimitsComeAs403ReasonsOr429() {
        #expect(failure(403, reason: "rateLimitExceeded") == .rateLimited)
        #expect(failure(403, reason: "userRateLimitExceeded") == .rateLimited)
        let limited = failure(429, reason: "rateLimitExceeded", retryAfter: .seconds(5))
        #expect(limited == .rateLimited && limited.retryAfter == .seconds(5))
    }

    @Test func everyOtherFailureHasItsClass() {
        #expect(failure(403, reason: "insufficientPermissions") == .unauthorized)
        #expect(failure(401, reason: "authError") == .unauthorized)
        #expect(failure(404, reason: "notFound") == .notFound)
        #expect(failure(410, reason: "fullSyncRequired") == .notFound)
        #expect(failure(409, reason: "duplicate") == .rejected)
        #expect(failure(400, reason: "timeRangeEmpty") == .rejected)
        #expect(failure(503, reason: "backendError") == .unavailable)
        #expect(GoogleError.network("HTTP timed out").remoteFailure() == .timeout)
        #expect(GoogleError.network("HTTP connection failed").remoteFailure() == .network)
        #expect(GoogleError.needsReconnect.remoteFailure() == .unauthorized)
    }
}

@Suite("Google API: the breaker hears only a service that is down")
struct GoogleBreakerClassTests {
    @Test("rate limits slow Steward down but never open the circuit breaker")
    func rateLimitsDoNotOpenTheBreaker() async throws {
        try await GoogleHarness.run { google in
            let tokens = google.tokenProvider(tokens: try await google.connect())
            let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(60))
            let client = HTTPGoogleAPIClient(baseURL: google.endpoints.apiURL, tokens: tokens, transport: google.transport,
                                             retryPolicy: .none, breaker: breaker)
            await google.state.failNext(2, with: .tooManyRequests(retryAfterSeconds: nil))
            await google.state.failNext(1, with: .rateLimitExceeded)
            for _ in 0..<3 { await #expect(throws: GoogleError.rateLimited) { try await client.calendarList() } }
            // Google is up and only asked for a slower pace: the next call goes to Google and works.
            #expect(try await client.calendarList().count == 1)
            #expect(await breaker.state == .closed)
        }
    }
}
