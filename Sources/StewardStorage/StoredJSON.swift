import Foundation
import StewardCore

/// The JSON of the two rows stored for every message — the inbound event and its answer's delivery —
/// written straight to bytes in the shapes `Codable` gives them, so `JSONDecoder.storage` reads them back
/// as before. `JSONEncoder` boxed every value on the way: 6 % of a burst's CPU (Benchmarks/README.md,
/// "Third pass"). Shapes this does not cover (an edit, buttons, a button acknowledgement) go through
/// `JSONEncoder.storage` as before; `StoredJSONTests` checks both decode to the same value.
enum StoredJSON {
    static func text(of event: InboundEvent) throws -> String {
        let seconds = event.receivedAt.timeIntervalSince1970
        // JSON has no number for these (not a time Steward stamps): the encoder says what is wrong.
        guard seconds.isFinite else { return String(decoding: try JSONEncoder.storage.encode(event), as: UTF8.self) }
        var json = JSONObjectWriter()
        json.open()
        json.field("id", event.id)
        json.object("sender") { json in
            json.field("platform", event.sender.platform.rawValue)
            json.field("userID", event.sender.userID)
        }
        json.field("chat", event.chat)
        json.object("kind") { json in
            switch event.kind {
            case .message(let text):
                json.object("message") { $0.field("_0", text) }
            case .command(let name, let arguments):
                json.object("command") { json in
                    json.field("name", name)
                    json.field("arguments", arguments)
                }
            case .action(let token):
                json.object("action") { $0.field("token", token) }
            }
        }
        // As `.secondsSince1970` writes it: the shortest digits that read back exactly.
        json.field("receivedAt", seconds)
        json.field("senderName", event.senderName)
        json.field("sourceMessageID", event.sourceMessageID)
        json.field("actionReceipt", event.actionReceipt)
        json.field("replyRoute", event.replyRoute)
        json.close()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func text(of delivery: Delivery) throws -> String {
        guard case .send(let chat, let message) = delivery, message.buttons.isEmpty else {
            return String(decoding: try JSONEncoder.storage.encode(delivery), as: UTF8.self)
        }
        var json = JSONObjectWriter(capacity: message.text.utf8.count + 160)
        json.open()
        json.object("send") { json in
            json.field("chat", chat)
            json.object("message") { json in
                json.field("text", message.text)
                json.field("buttons", [String]())
                json.field("title", message.title)
                json.field("replyRoute", message.replyRoute)
            }
        }
        json.close()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

extension JSONObjectWriter {
    fileprivate mutating func field(_ name: String, _ chat: ChatRef) {
        object(name) { json in
            json.field("platform", chat.platform.rawValue)
            json.field("chatID", chat.chatID)
            json.field("isPrivate", chat.isPrivate)
        }
    }
}
