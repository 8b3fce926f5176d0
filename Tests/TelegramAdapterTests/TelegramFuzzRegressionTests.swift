import Foundation
import StewardCore
import Testing
@testable import TelegramAdapter

/// Inputs the fuzzer found (Fuzz/findings), kept so they stay fixed.
@Suite("Telegram fuzz findings")
struct TelegramFuzzRegressionTests {
    let normalizer = TelegramNormalizer(botUsername: "StewardTestBot", botID: 7_000_000_001)

    /// Fuzz/findings/telegram-group-mentions-quadratic.json, scaled up: each mention was stripped by searching a
    /// fresh copy of the rest of the text, so 8 MB of mentions took minutes; one pass takes about a second.
    /// The time limit turns a return of that into a failure instead of a hang.
    @Test(.timeLimit(.minutes(1)))
    func aGroupMessageFullOfMentionsIsNormalizedInOnePass() throws {
        let text = String(repeating: "@StewardTestBot ", count: 500_000) + "/today"
        let update = TelegramUpdate(updateID: 1, message: TelegramMessage(
            messageID: 2, from: TelegramUser(id: 3, isBot: false, firstName: "A"),
            chat: TelegramChat(id: -4, type: "group"), date: 1, text: text))
        let event = try #require(normalizer.normalize(update))
        #expect(event.kind == .command(name: "today", arguments: ""))
    }

    @Test func aMentionRunTogetherWithAWordIsKept() {
        let text = String(repeating: "@StewardTestBotFan @StewardTestBot ", count: 3) + "hi"
        #expect(normalizer.strippingMention(from: text)
                    == "@StewardTestBotFan @StewardTestBotFan @StewardTestBotFan hi")
    }
}
