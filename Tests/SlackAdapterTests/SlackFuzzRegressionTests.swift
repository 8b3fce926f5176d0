import Foundation
@testable import SlackAdapter
import StewardCore
import StewardTesting
import Testing

/// Inputs the fuzzer found (Fuzz/findings), kept so they stay fixed.
@Suite struct SlackFuzzRegressionTests {
    let normalizer = SlackNormalizer(botUserID: Slack.bot)

    /// Fuzz/findings/slack-named-mentions-quadratic.bin, scaled up: each `<@BOT|name>` was replaced and the
    /// search began again at the start, so 2 MB of named mentions took minutes; one pass takes well under a
    /// second. The time limit turns a return of that into a failure instead of a hang.
    @Test(.timeLimit(.minutes(1)))
    func aMessageFullOfNamedMentionsIsNormalizedInOnePass() throws {
        let text = String(repeating: "<@\(Slack.bot)|steward> ", count: 90_000) + "what's next?"
        let envelope = try decode(SlackEventEnvelope.self, FakeSlackSigner.eventCallback(
            ["type": "app_mention", "channel": "C0TEAM", "user": .string(Slack.bob), "text": .string(text)],
            eventID: "Ev0100"))
        let event = try #require(normalizer.normalize(envelope))
        #expect(event.kind == .message("what's next?"))
    }

    @Test func namedMentionsOfOthersAndAnUnclosedOneStay() {
        let text = "<@\(Slack.bot)|steward> ask <@U0BOB|bob> <@\(Slack.bot)|steward>now <@\(Slack.bot)|x"
        #expect(normalizer.strippingMention(from: text) == "ask <@U0BOB|bob> now <@\(Slack.bot)|x")
    }
}
