import Foundation
import GoogleWorkspace
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// The fake must refuse what Google would refuse, or the client tests prove nothing.
@Suite("Fake Google follows the documentation")
struct FakeGoogleTests {
    /// Sends a raw request with a valid access token.
    func raw(_ google: GoogleHarness, _ method: String, _ pathAndQuery: String, body: String? = nil) async throws -> HTTPResponseSpec {
        let tokens = try await google.connect()
        let url = URL(string: google.endpoints.apiURL.absoluteString + pathAndQuery)!
        var headers = [(name: "Authorization", value: "Bearer \(tokens.accessToken)")]
        if body != nil { headers.append((name: "Content-Type", value: "application/json")) }
        return try await google.transport.send(HTTPRequestSpec(method: method, url: url, headers: headers, body: body.map { Data($0.utf8) }))
    }

    @Test("unknown query parameters, wrong types and bad enum values are 400")
    func queryShape() async throws {
        try await GoogleHarness.run { google in
            let base = "/calendar/v3/calendars/primary/events"
            for query in ["?color=red", "?singleEvents=yes", "?orderBy=title", "?maxResults=0", "?timeMin=2026-03-01T00:00:00",
                          "?orderBy=startTime", "?syncToken=abc&timeMin=2026-03-01T00:00:00Z",
                          "?timeMin=2026-03-02T00:00:00Z&timeMax=2026-03-01T00:00:00Z"] {
                let response = try await raw(google, "GET", base + query)
                #expect(response.status == 400, "\(query)")
            }
            #expect(try await raw(google, "GET", base + "?singleEvents=true&orderBy=startTime&prettyPrint=false").status == 200)
        }
    }

    @Test("bodies with fields the schema lacks, wrong types or missing required fields are 400")
    func bodyShape() async throws {
        try await GoogleHarness.run { google in
            let path = "/calendar/v3/calendars/primary/events"
            let good = #""start":{"dateTime":"2026-03-30T10:00:00Z"},"end":{"dateTime":"2026-03-30T11:00:00Z"}"#
            for body in [#"{"title":"x",\#(good)}"#, #"{"summary":5,\#(good)}"#, #"{"summary":"x"}"#,
                         #"{"summary":"x","start":{"dateTime":"2026-03-30T10:00:00Z","zone":"UTC"},"end":{"date":"2026-03-31"}}"#,
                         #"{"attendees":[{"mail":"a@b.c"}],\#(good)}"#, #"{"id":"UPPER-case",\#(good)}"#] {
                let response = try await raw(google, "POST", path, body: body)
                #expect(response.status == 400, "\(body)")
            }
            #expect(try await raw(google, "POST", path, body: #"{"summary":"ok",\#(good)}"#).status == 200)
            #expect(try await raw(google, "POST", "/calendar/v3/freeBusy", body: #"{"timeMin":"2026-03-30T00:00:00Z","timeMax":"2026-03-31T00:00:00Z","items":[{"id":"primary"}],"extra":1}"#).status == 400)
        }
    }

    @Test("no token or an unknown one is 401 with Google's authError body")
    func credentials() async throws {
        try await GoogleHarness.run { google in
            let url = URL(string: google.endpoints.apiURL.absoluteString + "/calendar/v3/users/me/calendarList")!
            let response = try await google.transport.send(HTTPRequestSpec(url: url, headers: [(name: "Authorization", value: "Bearer nope")]))
            #expect(response.status == 401)
            #expect(FakeJSON.parse(response.body)?["error"]?["errors"]?.arrayValue?.first?["reason"] == "authError")
        }
    }

    @Test("the consent page redirects with code, state and scope; a malformed authorization request is refused")
    func consentPage() async throws {
        try await GoogleHarness.run { google in
            let oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: google.fake.clientID, clientSecret: google.fake.clientSecret),
                                    redirectURI: try await google.fake.callbackEchoURL, endpoints: google.endpoints, transport: google.transport)
            let pkce = PKCE.random()
            let url = oauth.authorizationURL(scopes: GoogleScope.calendarConnection, state: "abc", pkce: pkce)
            // The transport follows the 302 to the echoing callback, as a browser would.
            let landing = try await google.transport.send(HTTPRequestSpec(url: url))
            #expect(landing.status == 200)
            let fields = try #require(FakeJSON.parse(landing.body))
            #expect(fields["state"] == "abc")
            #expect(fields["scope"]?.stringValue?.contains(GoogleScope.calendar) == true)
            let code = try #require(fields["code"]?.stringValue)
            let tokens = try await oauth.exchange(code: code, verifier: pkce.verifier)
            #expect(tokens.email == GoogleHarness.owner)
            #expect(await google.state.requests("oauth.authorize").map(\.status) == [302])

            let bad = URL(string: url.absoluteString.replacingOccurrences(of: "response_type=code", with: "response_type=token"))!
            #expect(try await google.transport.send(HTTPRequestSpec(url: bad)).status == 400)
            await google.state.denyNextAuthorization()
            let denied = try await google.state.authorize(url)
            #expect(denied.error == "access_denied" && denied.code == nil && denied.state == "abc")
        }
    }

    @Test("every answer the fake gave in these flows matches the discovery document's response schemas")
    func responsesFollowSchemas() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            try await google.state.addWeeklyEvent(calendarID: owner, summary: "w", firstStart: .at("2026-03-02T09:00:00Z"), duration: 600,
                                                  timeZone: "Europe/Berlin", count: 2)
            try await google.state.addAllDayEvent(calendarID: owner, summary: "a", firstDay: "2026-03-03", lastDay: "2026-03-04")
            let (provider, _) = try await google.provider()
            let window = DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-04-01T00:00:00Z"))
            _ = try await provider.calendars()
            let listed = try await provider.events(in: window)
            let full = try await provider.changes(calendarID: owner, since: nil, window: window)
            let draft = EventDraft(uid: "s", title: "t", start: .at("2026-03-05T09:00:00Z"), end: .at("2026-03-05T10:00:00Z"), timeZone: "UTC",
                                   attendees: ["x@example.org"])
            let created = try await provider.createEvent(draft, calendarID: nil)
            _ = try await provider.moveEvent(id: created.id, calendarID: nil, start: .at("2026-03-06T09:00:00Z"), end: .at("2026-03-06T10:00:00Z"),
                                             timeZone: "UTC", sendUpdates: .none)
            try await provider.cancelEvent(id: listed[0].id, calendarID: owner, sendUpdates: .none)
            _ = try await provider.changes(calendarID: owner, since: full.nextSyncToken, window: window)
            _ = try await provider.freeBusy(for: [owner], in: window)
            _ = try await provider.accountEmail()
            #expect(await google.state.responseShapeProblems == [])
            #expect(Set(await google.state.requests.map(\.method)).isSuperset(of: FakeGoogleDiscovery.methodIDs.filter { $0 != "calendar.events.get" }))
        }
    }
}
