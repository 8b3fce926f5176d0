import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

@Suite("Google API failures")
struct ResilienceTests {
    @Test("401: the token is refreshed once and the call repeated, without the caller noticing")
    func unauthorizedRefreshesAndRetries() async throws {
        try await GoogleHarness.run { google in
            let (provider, tokens) = try await google.provider()
            let before = await tokens.current.accessToken
            await google.state.failNext(1, with: .unauthorized, method: "calendar.calendarList.list")
            let calendars = try await provider.calendars()
            #expect(calendars.count == 1)
            #expect(await google.state.requests("calendar.calendarList.list").map(\.status) == [401, 200])
            #expect(await google.state.grantedTokenRequests("refresh_token") == 1)
            #expect(await tokens.current.accessToken != before)
            #expect(await google.sleeps.count == 0)
        }
    }

    @Test("an access token that expired at Google is replaced transparently")
    func expiredAtGoogle() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            await google.state.expireAccessTokens()
            let draft = EventDraft(uid: "u1", title: "After expiry", start: .at("2026-03-30T08:00:00Z"), end: .at("2026-03-30T09:00:00Z"),
                                   timeZone: "UTC")
            _ = try await provider.createEvent(draft, calendarID: nil)
            #expect(await google.state.requests("calendar.events.insert").map(\.status) == [401, 200])
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 1)

            // The same when Google's clock says the hour is up before Steward's does.
            await google.state.advanceClock(by: 3600)
            #expect(try await provider.calendars().count == 1)
            #expect(await google.state.requests("calendar.calendarList.list").map(\.status) == [401, 200])
            #expect(await google.state.grantedTokenRequests("refresh_token") == 2)
        }
    }

    @Test("401 again after the refresh stops after one refresh and says so, naming no token")
    func unauthorizedTwice() async throws {
        try await GoogleHarness.run { google in
            let (provider, tokens) = try await google.provider()
            await google.state.failNext(2, with: .unauthorized)
            let error = await #expect(throws: GoogleError.self) { try await provider.calendars() }
            #expect(error == .unauthorized)
            #expect(await google.state.grantedTokenRequests("refresh_token") == 1)
            let current = await tokens.current
            #expect(error.map { "\($0)" }?.contains(current.accessToken) == false)
            #expect(error.map { "\($0)" }?.contains(current.refreshToken) == false)
        }
    }

    @Test("403 rateLimitExceeded and userRateLimitExceeded back off with jitter, then succeed")
    func rateLimitBackoff() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            await google.state.failNext(1, with: .rateLimitExceeded)
            await google.state.failNext(1, with: .userRateLimitExceeded)
            let calendars = try await provider.calendars()
            #expect(calendars.count == 1)
            #expect(await google.state.requests("calendar.calendarList.list").map(\.status) == [403, 403, 200])
            let waits = await google.sleeps.values
            #expect(waits.count == 2)
            // Full jitter under the exponential ceiling: ≤ 40 ms, then ≤ 80 ms.
            #expect(waits[0] <= .milliseconds(40) && waits[1] <= .milliseconds(80))
            #expect(await google.state.grantedTokenRequests("refresh_token") == 0)
        }
    }

    @Test("429 waits what Retry-After says")
    func tooManyRequests() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            await google.state.failNext(1, with: .tooManyRequests(retryAfterSeconds: 1))
            _ = try await provider.calendars()
            #expect(await google.sleeps.values == [.seconds(1)])
        }
    }

    @Test("500 backs off and succeeds; a dead service fails after the bounded attempts as a transient error")
    func serverErrors() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            await google.state.failNext(2, with: .internalServerError, method: "calendar.events.list")
            let events = try await provider.events(in: DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-03-02T00:00:00Z")))
            #expect(events.isEmpty)
            #expect(await google.state.requests("calendar.events.list").map(\.status) == [500, 500, 200])

            await google.state.failNext(10, with: .serverError(status: 503))
            let error = await #expect(throws: GoogleError.self) { try await provider.calendars() }
            #expect(error == .server && error?.isTransient == true)
            // Four attempts (the harness's policy), three waits between them.
            #expect(await google.state.requests("calendar.calendarList.list").filter { $0.status == 503 }.count == 4)
            #expect(await google.sleeps.count == 2 + 3)
        }
    }

    @Test("after repeated failures the circuit breaker stops calling Google for a while")
    func circuitBreaker() async throws {
        try await GoogleHarness.run { google in
            let tokens = google.tokenProvider(tokens: try await google.connect())
            let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(60))
            let client = HTTPGoogleAPIClient(baseURL: google.endpoints.apiURL, tokens: tokens, transport: google.transport,
                                             retryPolicy: .none, breaker: breaker)
            await google.state.failNext(2, with: .internalServerError)
            for _ in 0..<2 { await #expect(throws: GoogleError.server) { try await client.calendarList() } }
            await #expect(throws: GoogleError.unavailable) { try await client.calendarList() }
            #expect(await google.state.requests("calendar.calendarList.list").count == 2)
        }
    }

    @Test("a bad request is not retried")
    func badRequestNotRetried() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            let backwards = EventDraft(uid: "b", title: "Backwards", start: .at("2026-03-30T10:00:00Z"), end: .at("2026-03-30T09:00:00Z"),
                                       timeZone: "UTC")
            let error = await #expect(throws: GoogleError.self) { try await provider.createEvent(backwards, calendarID: nil) }
            #expect(error == .badRequest && error?.reason == "timeRangeEmpty")
            #expect(await google.state.requests("calendar.events.insert").count == 1)
            #expect(await google.sleeps.count == 0)
        }
    }
}
