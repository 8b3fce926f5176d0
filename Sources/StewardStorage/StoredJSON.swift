import Foundation
import StewardCore

/// The JSON of the two rows stored for every message — the inbound event and its answer's delivery —
/// written straight to bytes in the shapes `Codable` gives them, so `JSONDecoder.storage` reads them back
/// as before. `JSONEncoder` boxed every value on the way: 6 % of a burst's CPU (Benchmarks/README.md,
/// "Third pass"). Shapes this does not cover (an edit, buttons, a button acknowledgement) go through
/// `JSONEncoder.storage` as before; `StoredJSONTests` checks both decode to the same value.
enum StoredJSON {
    static func text(of event: InboundEvent) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: Array("{\"id\":".utf8))
        JSONBytes.appendString(event.id, to: &bytes)
        bytes.append(contentsOf: Array(",\"sender\":{\"platform\":".utf8))
        JSONBytes.appendString(event.sender.platform.rawValue, to: &bytes)
        bytes.append(contentsOf: Array(",\"userID\":".utf8))
        JSONBytes.appendString(event.sender.userID, to: &bytes)
        bytes.append(contentsOf: Array("},\"chat\":".utf8))
        append(event.chat, to: &bytes)
        bytes.append(contentsOf: Array(",\"kind\":".utf8))
        switch event.kind {
        case .message(let text):
            bytes.append(contentsOf: Array("{\"message\":{\"_0\":".utf8))
            JSONBytes.appendString(text, to: &bytes)
        case .command(let name, let arguments):
            bytes.append(contentsOf: Array("{\"command\":{\"name\":".utf8))
            JSONBytes.appendString(name, to: &bytes)
            bytes.append(contentsOf: Array(",\"arguments\":".utf8))
            JSONBytes.appendString(arguments, to: &bytes)
        case .action(let token):
            bytes.append(contentsOf: Array("{\"action\":{\"token\":".utf8))
            JSONBytes.appendString(token, to: &bytes)
        }
        bytes.append(contentsOf: Array("}},\"receivedAt\":".utf8))
        guard appendSeconds(event.receivedAt, to: &bytes) else {
            return String(decoding: try JSONEncoder.storage.encode(event), as: UTF8.self)
        }
        for (key, value) in [("senderName", event.senderName), ("sourceMessageID", event.sourceMessageID),
                             ("actionReceipt", event.actionReceipt), ("replyRoute", event.replyRoute)] {
            guard let value else { continue }
            bytes.append(contentsOf: Array(",\"\(key)\":".utf8))
            JSONBytes.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func text(of delivery: Delivery) throws -> String {
        guard case .send(let chat, let message) = delivery, message.buttons.isEmpty else {
            return String(decoding: try JSONEncoder.storage.encode(delivery), as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.text.utf8.count + 160)
        bytes.append(contentsOf: Array("{\"send\":{\"chat\":".utf8))
        append(chat, to: &bytes)
        bytes.append(contentsOf: Array(",\"message\":{\"text\":".utf8))
        JSONBytes.appendString(message.text, to: &bytes)
        bytes.append(contentsOf: Array(",\"buttons\":[]".utf8))
        for (key, value) in [("title", message.title), ("replyRoute", message.replyRoute)] {
            guard let value else { continue }
            bytes.append(contentsOf: Array(",\"\(key)\":".utf8))
            JSONBytes.appendString(value, to: &bytes)
        }
        bytes.append(contentsOf: Array("}}}".utf8))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ chat: ChatRef, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: Array("{\"platform\":".utf8))
        JSONBytes.appendString(chat.platform.rawValue, to: &bytes)
        bytes.append(contentsOf: Array(",\"chatID\":".utf8))
        JSONBytes.appendString(chat.chatID, to: &bytes)
        bytes.append(contentsOf: Array(",\"isPrivate\":\(chat.isPrivate)}".utf8))
    }

    /// A date as `.secondsSince1970` writes it: its seconds, in the shortest digits that read back exactly.
    /// False for what JSON has no number for (not a date Steward stamps).
    private static func appendSeconds(_ date: Date, to bytes: inout [UInt8]) -> Bool {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return false }
        bytes.append(contentsOf: Array("\(seconds)".utf8))
        return true
    }
}
