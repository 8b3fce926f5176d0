import Foundation
@testable import GoogleWorkspace
import StewardTesting
import Testing

@Suite("Google token lifecycle")
struct TokenProviderTests {
    @Test("a token with more than a minute left is used as is; nothing is refreshed or persisted")
    func freshTokenIsKept() async throws {
        try await GoogleHarness.run { google in
            let tokens = try await google.connect()
            let persisted = Recorder<GoogleTokens>()
            let provider = google.tokenProvider(tokens: tokens, persisted: persisted)
            #expect(try await provider.accessToken() == tokens.accessToken)
            #expect(await provider.refreshCount == 0)
            #expect(await persisted.count == 0)
        }
    }

    @Test("ten callers near expiry share one refresh; the new tokens are persisted once and keep the refresh token")
    func coalescedRefresh() async throws {
        try await GoogleHarness.run { google in
            var tokens = try await google.connect()
            // 30 s left: inside the 60 s margin, so the next request must refresh first.
            tokens.expiresAt = Date().addingTimeInterval(30)
            let persisted = Recorder<GoogleTokens>()
            let provider = google.tokenProvider(tokens: tokens, persisted: persisted)
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 { group.addTask { try await provider.accessToken() } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.count == 10)
            #expect(Set(results).count == 1)
            #expect(results[0] != tokens.accessToken)
            #expect(await google.state.grantedTokenRequests("refresh_token") == 1)
            #expect(await provider.refreshCount == 1)
            let stored = try #require(await persisted.values.first)
            #expect(await persisted.count == 1)
            #expect(stored.accessToken == results[0])
            #expect(stored.refreshToken == tokens.refreshToken)
            #expect(stored.expiresAt > Date().addingTimeInterval(3000))
            // And the refreshed token works against the API.
            let client = google.client(tokens: provider)
            #expect(try await client.calendarList().map(\.id) == [GoogleHarness.owner])
        }
    }

    @Test("a revoked refresh token marks the account once, then fails fast without asking Google again")
    func revokedRefreshToken() async throws {
        try await GoogleHarness.run { google in
            var tokens = try await google.connect()
            tokens.expiresAt = Date().addingTimeInterval(-5)
            await google.state.revokeRefreshTokens(of: GoogleHarness.owner)
            let reconnects = Recorder<String>()
            let provider = google.tokenProvider(tokens: tokens, reconnects: reconnects)
            for _ in 0..<3 {
                await #expect(throws: GoogleError.needsReconnect) { try await provider.accessToken() }
            }
            let client = google.client(tokens: provider)
            await #expect(throws: GoogleError.needsReconnect) { try await client.calendarList() }
            #expect(await provider.needsReconnect)
            #expect(await reconnects.count == 1)
            #expect(await google.state.requests("oauth.token").filter { $0.form["grant_type"] == "refresh_token" }.count == 1)

            // Connecting again clears it.
            await provider.replace(with: try await google.connect())
            #expect(await !provider.needsReconnect)
            #expect(try await client.calendarList().count == 1)
        }
    }

    @Test("an access token the API rejects is refreshed once for every caller that saw it")
    func rejectedTokenSharedRefresh() async throws {
        try await GoogleHarness.run { google in
            let tokens = try await google.connect()
            let provider = google.tokenProvider(tokens: tokens)
            let replacements = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<5 { group.addTask { try await provider.accessToken(replacing: tokens.accessToken) } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(replacements.count == 1)
            #expect(!replacements.contains(tokens.accessToken))
            #expect(await google.state.grantedTokenRequests("refresh_token") == 1)
        }
    }
}
