import Foundation
import StewardCore
import Testing
@testable import StewardStorage

/// The inbound event and the delivery stored for every message are written straight to bytes; whatever
/// they hold, `JSONDecoder.storage` must read back what it read from `JSONEncoder`'s text.
@Suite struct StoredJSONTests {
    static let hostile = ["", "plain", "quote \" backslash \\ slash / ", "\n\r\t\u{0}\u{1}\u{1f}\u{7f}", "émoji 👋🏽 中文",
                          "\u{2028}\u{2029}\u{FEFF}", "<b>&amp;</b>", String(repeating: "long ", count: 3_000)]
    static let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_733_550_000.123_456),
                        Date(timeIntervalSince1970: -86_400.5), Date(timeIntervalSince1970: 4_102_444_800.000_001),
                        Date(timeIntervalSince1970: 1e-7), Date()]

    static func decoded<T: Decodable>(_ text: String, as type: T.Type) throws -> T {
        try JSONDecoder.storage.decode(type, from: Data(text.utf8))
    }

    @Test func everyKindOfEventReadsBackAsStored() throws {
        let chat = ChatRef(platform: .slack, chatID: "C0/\"1", isPrivate: false)
        for text in Self.hostile {
            for date in Self.dates {
                for kind in [InboundEvent.Kind.message(text), .command(name: text, arguments: text), .action(token: text)] {
                    for optional in [nil, text] {
                        let event = InboundEvent(id: "telegram:update:\(text.count)", sender: ChatIdentity(platform: .matrix, userID: text),
                                                 senderName: optional, chat: chat, kind: kind, receivedAt: date,
                                                 sourceMessageID: optional, actionReceipt: optional, replyRoute: optional)
                        let stored = try StoredJSON.text(of: event)
                        let encoded = String(decoding: try JSONEncoder.storage.encode(event), as: UTF8.self)
                        // As the encoder's text reads back: a date keeps what seconds since 1970 can hold.
                        #expect(try Self.decoded(stored, as: InboundEvent.self) == Self.decoded(encoded, as: InboundEvent.self))
                    }
                }
            }
        }
    }

    @Test func aPlainMessageReadsBackAsStoredAndOtherShapesAsTheEncoderWrites() throws {
        let chat = ChatRef(platform: .telegram, chatID: "-100123", isPrivate: true)
        for text in Self.hostile {
            for optional in [nil, text] {
                let deliveries: [Delivery] = [
                    .send(chat: chat, message: OutboundMessage(title: optional, text: text, replyRoute: optional)),
                    .send(chat: chat, message: OutboundMessage(text: text, buttons: [Button(title: text, token: "s1:\(text.count):a")])),
                    .edit(chat: chat, messageID: text, message: OutboundMessage(title: optional, text: text)),
                    .answerAction(platform: .slack, receipt: text, text: text),
                ]
                for delivery in deliveries {
                    #expect(try Self.decoded(try StoredJSON.text(of: delivery), as: Delivery.self) == delivery)
                }
            }
        }
    }

    /// The writer names each field itself: a field added to these types must be added there too, or it would
    /// be dropped from what is stored.
    @Test func theWriterKnowsEveryFieldOfWhatItWrites() {
        func fields(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        let chat = ChatRef(platform: .telegram, chatID: "1", isPrivate: true)
        let event = InboundEvent(id: "e", sender: ChatIdentity(platform: .telegram, userID: "1"), chat: chat,
                                 kind: .message("hi"), receivedAt: Date())
        #expect(fields(event) == ["id", "sender", "senderName", "chat", "kind", "receivedAt", "sourceMessageID",
                                  "actionReceipt", "replyRoute"])
        #expect(fields(event.sender) == ["platform", "userID"])
        #expect(fields(chat) == ["platform", "chatID", "isPrivate"])
        #expect(fields(OutboundMessage(text: "hi")) == ["title", "text", "buttons", "replyRoute"])
    }
}
