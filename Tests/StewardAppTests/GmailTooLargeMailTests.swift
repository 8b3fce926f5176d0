import Foundation
import GoogleWorkspace
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// A mail too large to fetch whole is read from its headers, and says its body was left out.
@Suite(.serialized) struct GmailTooLargeMailTests {
    @Test func aMailOverTheSizeLimitSaysItsBodyWasLeftOut() async throws {
        try await GmailWorld.run { world in
            let attachment = Data(repeating: UInt8(ascii: "A"), count: GmailTriage.rawSizeLimit + 1024)
            let huge = try await world.deliver(from: "Dan <dan@example.com>", subject: "The holiday video",
                                               body: "See attached.\r\n", extraBody: attachment)
            let small = try await world.deliver(from: "Dan <dan@example.com>", subject: "Lunch?")
            let gmail = GmailClient(api: HTTPGoogleAPIClient(baseURL: world.apiURL, tokens: StaticAccessToken(world.accessToken),
                                                             transport: world.transport,
                                                             retryPolicy: RetryPolicy(maxAttempts: 1)))
            let fetched = try #require(try await world.triage().fetch(huge, from: gmail))
            #expect(fetched.message.subject == "The holiday video")
            #expect(fetched.message.bodyOmission == .tooLarge)
            #expect(try await world.triage().fetch(small, from: gmail)?.message.bodyOmission == nil)
        }
    }
}
