import Foundation
@testable import SlackAdapter
import StewardCore
import StewardTesting
import Testing

/// Real-shaped payloads (as Slack's docs show them) and what each must become.
@Suite struct SlackNormalizerTests {
    let normalizer = SlackNormalizer(botUserID: Slack.bot)

    @Test func directMessageIsAMessageInAPrivateChat() throws {
        let envelope = try decode(SlackEventEnvelope.self,
                                  FakeSlackSigner.directMessage("today &amp; <mailto:a@x.com|a@x.com>", from: Slack.alice,
                                                                channel: "D0ALICE", eventID: "Ev0001"))
        let event = try #require(normalizer.normalize(envelope))
        #expect(event.id == "slack:event:Ev0001")
        #expect(event.sender == ChatIdentity(platform: .slack, userID: Slack.alice))
        #expect(event.chat == ChatRef(platform: .slack, chatID: "D0ALICE", isPrivate: true))
        #expect(event.kind == .message("today & a@x.com"))
    }

    @Test func mentionIsAMessageWithoutTheMention() throws {
        let envelope = try decode(SlackEventEnvelope.self,
                                  FakeSlackSigner.mention("what's   next?", botUserID: Slack.bot, from: Slack.bob,
                                                          channel: "C0TEAM", eventID: "Ev0002"))
        let event = try #require(normalizer.normalize(envelope))
        #expect(event.kind == .message("what's next?"))
        #expect(event.chat == ChatRef(platform: .slack, chatID: "C0TEAM", isPrivate: false))
        #expect(normalizer.strippingMention(from: "<@UBOTSTEWARD|steward> hi") == "hi")
    }

    @Test func botsEditsAndChannelChatterAreIgnored() throws {
        func event(_ fields: FakeJSON) throws -> InboundEvent? {
            normalizer.normalize(try decode(SlackEventEnvelope.self, FakeSlackSigner.eventCallback(fields, eventID: "Ev9")))
        }
        #expect(try event(["type": "message", "channel": "D1", "user": .string(Slack.bot), "text": "my own", "channel_type": "im"]) == nil)
        #expect(try event(["type": "message", "channel": "D1", "user": "U2", "bot_id": "B2", "text": "a bot", "channel_type": "im"]) == nil)
        #expect(try event(["type": "message", "subtype": "bot_message", "channel": "D1", "text": "x", "channel_type": "im"]) == nil)
        #expect(try event(["type": "message", "subtype": "message_changed", "channel": "D1", "channel_type": "im"]) == nil)
        #expect(try event(["type": "message", "channel": "C1", "user": "U2", "text": "chatter", "channel_type": "channel"]) == nil)
        #expect(try event(["type": "reaction_added", "user": "U2", "item": [:]]) == nil)
        let verification = try decode(SlackEventEnvelope.self, FakeSlackSigner.urlVerification(challenge: "abc"))
        #expect(normalizer.normalize(verification) == nil)
    }

    @Test func slashCommandsInBothForms() throws {
        let umbrella = try #require(SlackSlashCommand(fields: Dictionary(uniqueKeysWithValues:
            FakeSlackSigner.slashCommand("/steward", text: "free 30m tomorrow", user: Slack.alice, channel: "D0ALICE", triggerID: "111.222"))))
        let event = try #require(normalizer.normalize(umbrella))
        #expect(event.kind == .command(name: "free", arguments: "30m tomorrow"))
        #expect(event.id == "slack:command:111.222")
        #expect(event.chat.isPrivate)

        let direct = try #require(SlackSlashCommand(fields: Dictionary(uniqueKeysWithValues:
            FakeSlackSigner.slashCommand("/free", text: "30m", user: Slack.alice, channel: "C0TEAM", triggerID: "111.333"))))
        #expect(normalizer.normalize(direct)?.kind == .command(name: "free", arguments: "30m"))
        #expect(normalizer.normalize(direct)?.chat.isPrivate == false)

        func umbrellaKind(_ text: String) throws -> InboundEvent.Kind? {
            let command = try #require(SlackSlashCommand(fields: Dictionary(uniqueKeysWithValues:
                FakeSlackSigner.slashCommand("/steward", text: text, user: Slack.alice, channel: "D0ALICE", triggerID: "1"))))
            return normalizer.normalize(command)?.kind
        }
        #expect(try umbrellaKind("") == .command(name: "help", arguments: ""))
        #expect(try umbrellaKind("TODAY") == .command(name: "today", arguments: ""))
        #expect(try umbrellaKind("what's on friday") == .message("what's on friday"))
    }

    @Test func blockActionsBecomeAnActionOnTheCard() throws {
        let interaction = try decode(SlackInteraction.self,
                                     FakeSlackSigner.blockActions(value: "s1:ap-42:a", user: Slack.alice, channel: "D0ALICE",
                                                                  messageTS: "1700000000.000200", triggerID: "999.1"))
        let event = try #require(normalizer.normalize(interaction))
        #expect(event.kind == .action(token: "s1:ap-42:a"))
        #expect(event.sourceMessageID == "1700000000.000200")
        #expect(event.chat == ChatRef(platform: .slack, chatID: "D0ALICE", isPrivate: true))
        #expect(event.sender.userID == Slack.alice)
        #expect(event.id == "slack:action:999.1")
    }

    @Test func slackMarkupIsUndone() {
        #expect(SlackNormalizer.plainText("see <https://x.com/a?b=1|x.com> &lt;now&gt;") == "see https://x.com/a?b=1 <now>")
        #expect(SlackNormalizer.plainText("hi <@U123> in <#C1|general> <!here>") == "hi @U123 in #general @here")
        #expect(SlackNormalizer.plainText("free 30m with <mailto:bob@x.com|bob@x.com>") == "free 30m with bob@x.com")
    }

    @Test func textWithoutMarkupIsOnlyTrimmed() {
        #expect(SlackNormalizer.plainText("  lunch > dinner; 3 > 2 \n") == "lunch > dinner; 3 > 2")
        #expect(SlackNormalizer.plainText("Grüße, café ☕️ at 10") == "Grüße, café ☕️ at 10")
        #expect(SlackNormalizer.plainText(" \t ") == "")
        #expect(SlackNormalizer.plainText("a &amp; b") == "a & b", "one ampersand is enough to decode")
    }
}
