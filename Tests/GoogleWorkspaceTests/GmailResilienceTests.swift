import Foundation
@testable import GoogleWorkspace
import StewardHTTP
import StewardTesting
import Testing

@Suite("Gmail: failures and request shapes")
struct GmailResilienceTests {
    static let owner = GoogleHarness.owner

    @Test("401: the token is refreshed once and the Gmail call repeated")
    func unauthorizedRefreshes() async throws {
        try await GoogleHarness.run { google in
            let (gmail, tokens) = try await google.gmail()
            let before = await tokens.current.accessToken
            await google.state.failNext(1, with: .unauthorized, method: "gmail.users.getProfile")
            #expect(try await gmail.profile().emailAddress == Self.owner)
            #expect(await google.state.requests("gmail.users.getProfile").map(\.status) == [401, 200])
            #expect(await google.state.grantedTokenRequests("refresh_token") == 1)
            #expect(await tokens.current.accessToken != before)
        }
    }

    @Test("429 with Retry-After and 5xx back off, then succeed; a persistent 5xx gives up with .server")
    func backoff() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail(attempts: 3)
            _ = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent)
            await google.state.failNext(1, with: .tooManyRequests(retryAfterSeconds: 1), method: "gmail.users.messages.list")
            await google.state.failNext(1, with: .serverError(status: 503), method: "gmail.users.messages.list")
            #expect(try await gmail.listAllMessages().count == 1)
            #expect(await google.state.requests("gmail.users.messages.list").map(\.status) == [429, 503, 200])
            let waits = await google.sleeps.values
            #expect(waits.count == 2 && waits[0] == .seconds(1))

            await google.state.failNext(3, with: .internalServerError, method: "gmail.users.history.list")
            await #expect(throws: GoogleError.server) { try await gmail.history(since: "1") }
            #expect(await google.state.requests("gmail.users.history.list").count == 3)
        }
    }

    @Test("a token with only the calendar scope is refused Gmail (403), as Google refuses it")
    func missingScope() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail(scopes: GoogleScope.calendarConnection)
            await #expect(throws: GoogleError.forbidden) { try await gmail.profile() }
            #expect(await google.state.requests("gmail.users.getProfile").map(\.status) == [403])
        }
    }

    @Test("the fake refuses requests that differ from the discovery document or from Gmail's rules")
    func malformedRequestsAreRefused() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let api = gmail.api
            func refused(_ request: GoogleAPIRequest) async -> GoogleError? {
                do {
                    _ = try await api.send(request)
                    return nil
                } catch {
                    return error as? GoogleError
                }
            }
            let messages = ["gmail", "v1", "users", "me", "messages"]
            // An undocumented parameter, a format outside the enum, a non-integer maxResults.
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.messages.list", path: messages, query: [("query", "is:unread")])) == .badRequest)
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.messages.get", path: messages + ["x"], query: [("format", "headers")])) == .badRequest)
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.messages.list", path: messages, query: [("maxResults", "ten")])) == .badRequest)
            // startHistoryId is a uint64; historyTypes an enum.
            let history = ["gmail", "v1", "users", "me", "history"]
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.history.list", path: history, query: [("startHistoryId", "abc")])) == .badRequest)
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.history.list", path: history,
                                                   query: [("startHistoryId", "1"), ("historyTypes", "messageRead")])) == .badRequest)
            // An unknown body field; a raw message that is not base64; a draft without an id for send.
            let drafts = ["gmail", "v1", "users", "me", "drafts"]
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.drafts.create", method: "POST", path: drafts,
                                                   body: Data(#"{"message":{"raw":"eA","body":"x"}}"#.utf8))) == .badRequest)
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.drafts.create", method: "POST", path: drafts,
                                                   body: Data(#"{"message":{"raw":"***"}}"#.utf8))) == .badRequest)
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.drafts.send", method: "POST", path: drafts + ["send"],
                                                   body: Data(#"{"message":{"raw":"eA"}}"#.utf8))) == .badRequest)
            // 8-bit bytes in headers, as a careless builder would write them.
            let careless = Data("From: ada@example.com\r\nTo: bob@x.example\r\nSubject: Grüße\r\n\r\nHi\r\n".utf8)
            await #expect(throws: GoogleError.badRequest) { try await gmail.createDraft(raw: careless) }
            // Another user's mailbox.
            #expect(await refused(GoogleAPIRequest(name: "gmail.users.getProfile", path: ["gmail", "v1", "users", "eve@example.com", "profile"]))
                == .forbidden)
            // A query operator the fake does not implement is refused rather than misread.
            await #expect(throws: GoogleError.badRequest) { try await gmail.listMessages(query: "has:attachment") }

            // The embedded document describes exactly the methods the client uses and the fake serves.
            #expect(FakeGoogleDiscovery.gmailMethodIDs == [
                "gmail.users.drafts.create", "gmail.users.drafts.delete", "gmail.users.drafts.get", "gmail.users.drafts.send",
                "gmail.users.getProfile",
                "gmail.users.history.list", "gmail.users.messages.get", "gmail.users.messages.list", "gmail.users.messages.modify",
            ])
        }
    }
}
