import Foundation
@testable import SlackAdapter
import StewardTesting
import Testing

/// Slack's documented signing example, replay protection and constant-time comparison.
@Suite struct SlackSignatureTests {
    static let documentedBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let documentedSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let documentedTime = Date(timeIntervalSince1970: 1_531_420_618)

    @Test func slacksDocumentedExampleVerifies() throws {
        let verifier = SlackSignatureVerifier(signingSecret: Slack.secret, now: { Self.documentedTime })
        #expect(verifier.signature(timestamp: "1531420618", body: Data(Self.documentedBody.utf8)) == Self.documentedSignature)
        try verifier.verify(signature: Self.documentedSignature, timestamp: "1531420618", body: Data(Self.documentedBody.utf8))
        // The fake's signer produces the same signature, so end-to-end tests sign like Slack.
        #expect(FakeSlackSigner(signingSecret: Slack.secret).signature(timestamp: "1531420618", body: Data(Self.documentedBody.utf8))
                == Self.documentedSignature)
    }

    @Test func forgedOrTamperedRequestsAreRefused() {
        let verifier = SlackSignatureVerifier(signingSecret: Slack.secret, now: { Self.documentedTime })
        let body = Data(Self.documentedBody.utf8)
        #expect(throws: SlackSignatureVerifier.Refusal.badSignature) {
            try verifier.verify(signature: "v0=" + String(repeating: "0", count: 64), timestamp: "1531420618", body: body)
        }
        #expect(throws: SlackSignatureVerifier.Refusal.badSignature) {
            try verifier.verify(signature: Self.documentedSignature, timestamp: "1531420618", body: body + Data("x".utf8))
        }
        #expect(throws: SlackSignatureVerifier.Refusal.missingHeaders) {
            try verifier.verify(signature: nil, timestamp: "1531420618", body: body)
        }
        #expect(throws: SlackSignatureVerifier.Refusal.missingHeaders) {
            try verifier.verify(signature: Self.documentedSignature, timestamp: "yesterday", body: body)
        }
        let unconfigured = SlackSignatureVerifier(signingSecret: "", now: { Self.documentedTime })
        #expect(!unconfigured.isValid(signature: Self.documentedSignature, timestamp: "1531420618", body: body))
    }

    @Test func timestampsMoreThanFiveMinutesAwayAreRefused() {
        let body = Data(Self.documentedBody.utf8)
        for offset in [-301.0, 301.0] {
            let verifier = SlackSignatureVerifier(signingSecret: Slack.secret, now: { Self.documentedTime.addingTimeInterval(offset) })
            #expect(throws: SlackSignatureVerifier.Refusal.staleTimestamp) {
                try verifier.verify(signature: Self.documentedSignature, timestamp: "1531420618", body: body)
            }
        }
        let justInTime = SlackSignatureVerifier(signingSecret: Slack.secret, now: { Self.documentedTime.addingTimeInterval(299) })
        #expect(justInTime.isValid(signature: Self.documentedSignature, timestamp: "1531420618", body: body))
    }

    @Test func constantTimeComparison() {
        #expect(SlackSignatureVerifier.constantTimeEquals("v0=abc", "v0=abc"))
        #expect(!SlackSignatureVerifier.constantTimeEquals("v0=abc", "v0=abd"))
        #expect(!SlackSignatureVerifier.constantTimeEquals("v0=abc", "v0=ab"))
        #expect(!SlackSignatureVerifier.constantTimeEquals("", "x"))
    }
    /// One verifier serves every request, one after another and at once: no request's bytes may
    /// leak into the next one's MAC.
    @Test func oneVerifierSignsEveryRequestAfreshAlsoConcurrently() async {
        let verifier = SlackSignatureVerifier(signingSecret: Slack.secret, now: { Self.documentedTime })
        let signer = FakeSlackSigner(signingSecret: Slack.secret)
        let bodies = (0..<200).map { Data("payload \($0) ".utf8) + Data(repeating: UInt8($0 % 251), count: $0) }
        for body in bodies {
            #expect(verifier.signature(timestamp: "1531420618", body: body) == signer.signature(timestamp: "1531420618", body: body))
        }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for body in bodies {
                group.addTask {
                    verifier.isValid(signature: signer.signature(timestamp: "1531420618", body: body), timestamp: "1531420618",
                                     body: body) ? 0 : 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(verifier.signature(timestamp: "1531420618", body: Data(Self.documentedBody.utf8)) == Self.documentedSignature)
    }
}
