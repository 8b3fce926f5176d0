import Foundation
import StewardCore
import Testing
@testable import TelegramAdapter

/// The long poll and the answer are written straight to bytes; whatever the text, the Bot API must get the
/// same object `JSONEncoder` would have sent.
@Suite struct TelegramRequestJSONTests {
    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    static func encoded(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try encoder.encode(value)
    }

    @Test(arguments: ["", "plain", "<b>bold</b> & \"quoted\" \\ back/slash", "line\nbreak\ttab\r\u{0}\u{1f}\u{7f}",
                      "émoji 👋🏽 中文 \u{2028}\u{2029}", String(repeating: "long ", count: 2_000)])
    func aMessageBodyIsTheObjectTheEncoderWrites(text: String) throws {
        for request in [SendMessageRequest(chatID: -100_123_456_789, text: text),
                        SendMessageRequest(chatID: 42, text: text, parseMode: nil)] {
            let direct = try #require(request.directJSON)
            #expect(try Self.object(direct) == Self.object(try Self.encoded(request)))
        }
    }

    @Test func aMessageWithButtonsIsLeftToTheEncoder() {
        let keyboard = InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "Approve", callbackData: "a:1")]])
        #expect(SendMessageRequest(chatID: 1, text: "Send it?", replyMarkup: keyboard).directJSON == nil)
    }

    @Test func aLongPollBodyIsTheObjectTheEncoderWrites() throws {
        for request in [GetUpdatesRequest(offset: nil, timeout: 30, allowedUpdates: nil),
                        GetUpdatesRequest(offset: 9_007_199_254, limit: 100, timeout: 0,
                                          allowedUpdates: ["message", "callback_query", "my_chat_member"]),
                        GetUpdatesRequest(offset: 1, timeout: 25, allowedUpdates: [])] {
            let direct = try #require(request.directJSON)
            #expect(try Self.object(direct) == Self.object(try Self.encoded(request)))
        }
    }
}
