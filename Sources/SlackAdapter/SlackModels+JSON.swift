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
        var json = SlackJSONWriter()
        json.open()
        json.field("channel", channel)
        json.field("text", text)
        if let blocks { json.field("blocks", blocks) }
        if let unfurlLinks { json.field("unfurl_links", unfurlLinks) }
        if let unfurlMedia { json.field("unfurl_media", unfurlMedia) }
        json.close()
        return json.data
    }
}

extension SlackUpdateRequest: SlackDirectJSON {
    var jsonBody: Data {
        var json = SlackJSONWriter()
        json.open()
        json.field("channel", channel)
        json.field("ts", ts)
        json.field("text", text)
        json.field("blocks", blocks)
        json.close()
        return json.data
    }
}

/// Objects, strings and booleans as JSON bytes, escaped as RFC 8259 asks (quote, backslash, control
/// characters); everything else, `/` included, is written as is (`withoutEscapingSlashes`).
struct SlackJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    var data: Data { Data(bytes) }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    mutating func field(_ name: String, _ text: SlackText) {
        key(name)
        open()
        field("type", text.type)
        field("text", text.text)
        close()
    }

    mutating func field(_ name: String, _ blocks: [SlackBlock]) {
        key(name)
        array(blocks) { json, block in
            json.open()
            json.field("type", block.type)
            if let blockID = block.blockID { json.field("block_id", blockID) }
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
            if let style = button.style { json.field("style", style) }
            if let confirm = button.confirm {
                json.key("confirm")
                json.open()
                json.field("title", confirm.title)
                json.field("text", confirm.text)
                json.field("confirm", confirm.confirm)
                json.field("deny", confirm.deny)
                if let style = confirm.style { json.field("style", style) }
                json.close()
            }
            json.close()
        }
    }

    private mutating func array<T>(_ items: [T], _ write: (inout SlackJSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            write(&self, item)
            needsComma = true
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    private mutating func string(_ value: String) {
        JSONBytes.appendString(value, to: &bytes)
    }
}
