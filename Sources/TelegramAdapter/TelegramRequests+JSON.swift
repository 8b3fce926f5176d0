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
        var json = JSONObjectWriter(capacity: text.utf8.count + 96)
        json.open()
        json.field("chat_id", chatID)
        json.field("text", text)
        json.field("parse_mode", parseMode)
        if let linkPreviewOptions {
            json.object("link_preview_options") { $0.field("is_disabled", linkPreviewOptions.isDisabled) }
        }
        json.close()
        return Data(json.bytes)
    }
}

extension GetUpdatesRequest: DirectJSONBody {
    var directJSON: Data? {
        var json = JSONObjectWriter(capacity: 96)
        json.open()
        json.field("timeout", Int64(timeout))
        if let offset { json.field("offset", offset) }
        if let limit { json.field("limit", Int64(limit)) }
        if let allowedUpdates { json.field("allowed_updates", allowedUpdates) }
        json.close()
        return Data(json.bytes)
    }
}
