import Foundation
import StewardCore

/// A request body that writes its own JSON. Every reply Steward sends is a `chat.postMessage` (a card's
/// decision a `chat.update`): their fixed shapes are written straight to bytes, where `JSONEncoder`
/// went through its generic boxes and a sorted dictionary per object. The output parses to exactly
/// what `JSONEncoder` makes of the same value (see `SlackRequestJSONTests`).
protocol SlackDirectJSON: Sendable {
    var jsonBody: Data { get }
}

extension SlackPostMessageRequest: SlackDirectJSON {
    var jsonBody: Data {
        var json = JSONObjectWriter(capacity: 512)
        json.open()
        json.field("channel", channel)
        json.field("text", text)
        if let blocks { json.field("blocks", blocks) }
        if let unfurlLinks { json.field("unfurl_links", unfurlLinks) }
        if let unfurlMedia { json.field("unfurl_media", unfurlMedia) }
        json.close()
        return Data(json.bytes)
    }
}

extension SlackUpdateRequest: SlackDirectJSON {
    var jsonBody: Data {
        var json = JSONObjectWriter(capacity: 512)
        json.open()
        json.field("channel", channel)
        json.field("ts", ts)
        json.field("text", text)
        json.field("blocks", blocks)
        json.close()
        return Data(json.bytes)
    }
}

/// Block Kit's shapes on the shared writer.
extension JSONObjectWriter {
    mutating func field(_ name: String, _ text: SlackText) {
        object(name) { json in
            json.field("type", text.type)
            json.field("text", text.text)
        }
    }

    mutating func field(_ name: String, _ blocks: [SlackBlock]) {
        key(name)
        array(blocks) { json, block in
            json.open()
            json.field("type", block.type)
            json.field("block_id", block.blockID)
            if let text = block.text { json.field("text", text) }
            if let elements = block.elements { json.field("elements", elements) }
            json.close()
        }
    }

    mutating func field(_ name: String, _ buttons: [SlackButton]) {
        key(name)
        array(buttons) { json, button in
            json.open()
            json.field("type", button.type)
            json.field("text", button.text)
            json.field("action_id", button.actionID)
            json.field("value", button.value)
            json.field("style", button.style)
            if let confirm = button.confirm {
                json.object("confirm") { json in
                    json.field("title", confirm.title)
                    json.field("text", confirm.text)
                    json.field("confirm", confirm.confirm)
                    json.field("deny", confirm.deny)
                    json.field("style", confirm.style)
                }
            }
            json.close()
        }
    }
}
