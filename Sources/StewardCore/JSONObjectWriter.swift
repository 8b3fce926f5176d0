/// A JSON object written straight to bytes: the request bodies and stored rows on every message's path
/// (Slack's `chat.postMessage`, Matrix's `m.notice`, Telegram's `sendMessage` and `getUpdates`, the stored
/// inbound event and delivery), where `JSONEncoder`'s boxing of each value cost more than the rest of the
/// work. Callers write their fixed shapes field by field; strings are escaped by `JSONBytes.appendString`.
public struct JSONObjectWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// A member's name and its colon; its value comes next.
    public mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        JSONBytes.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        JSONBytes.appendString(value, to: &bytes)
    }

    /// Left out when nil, as `encodeIfPresent` does.
    public mutating func field(_ name: String, _ value: String?) {
        if let value { field(name, value) }
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A finite number, in the shortest digits that read back exactly (callers check `isFinite`).
    public mutating func field(_ name: String, _ value: Double) {
        key(name)
        bytes.append(contentsOf: value.description.utf8)
    }

    public mutating func field(_ name: String, _ values: [String]) {
        key(name)
        strings(values)
    }

    /// An array of strings: a member's value, or a whole document (the outbox's list of busy chats).
    public mutating func strings(_ values: some Sequence<String>) {
        array(values) { json, value in JSONBytes.appendString(value, to: &json.bytes) }
    }

    /// A member whose value is an object the caller writes.
    public mutating func object(_ name: String, _ write: (inout JSONObjectWriter) -> Void) {
        key(name)
        open()
        write(&self)
        close()
    }

    /// An array whose elements `write` puts down, one each.
    public mutating func array<Items: Sequence>(_ items: Items, _ write: (inout JSONObjectWriter, Items.Element) -> Void) {
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
}
