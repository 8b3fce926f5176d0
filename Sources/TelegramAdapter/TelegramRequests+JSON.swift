import Foundation
import StewardCore

/// A request whose JSON body is written straight to bytes when its shape allows (see `JSONBytes`).
protocol DirectJSONBody {
    /// The body, or nil to let `JSONEncoder` write it (the shapes this does not cover).
    var directJSON: Data? { get }
}

/// The two requests of every message: the long poll and the answer. `JSONEncoder` boxed each value and
/// escaped the text through its general writer: 3–4 % of a paced update's CPU (Benchmarks/README.md,
/// "Third pass"). The bytes are the same object `JSONEncoder` writes (`TelegramRequestJSONTests`).
extension SendMessageRequest: DirectJSONBody {
    /// Plain text or HTML without buttons; a keyboard goes through `JSONEncoder`.
    var directJSON: Data? {
        guard replyMarkup == nil else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 96)
        bytes.append(contentsOf: Array("{\"chat_id\":\(chatID),\"text\":".utf8))
        JSONBytes.appendString(text, to: &bytes)
        if let parseMode {
            bytes.append(contentsOf: Array(",\"parse_mode\":".utf8))
            JSONBytes.appendString(parseMode, to: &bytes)
        }
        if let linkPreviewOptions {
            bytes.append(contentsOf: Array(",\"link_preview_options\":{\"is_disabled\":\(linkPreviewOptions.isDisabled)}".utf8))
        }
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }
}

extension GetUpdatesRequest: DirectJSONBody {
    var directJSON: Data? {
        var bytes = Array("{\"timeout\":\(timeout)".utf8)
        if let offset { bytes.append(contentsOf: Array(",\"offset\":\(offset)".utf8)) }
        if let limit { bytes.append(contentsOf: Array(",\"limit\":\(limit)".utf8)) }
        if let allowedUpdates {
            bytes.append(contentsOf: Array(",\"allowed_updates\":[".utf8))
            for (index, update) in allowedUpdates.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONBytes.appendString(update, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }
}
