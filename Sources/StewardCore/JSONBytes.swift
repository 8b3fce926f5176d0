/// JSON written straight to bytes, for the few request bodies on every message's path (Slack's
/// `chat.postMessage`, Matrix's `m.notice`), where `JSONEncoder`'s boxing of each value cost more than the
/// rest of rendering. `JSONObjectWriter` writes the objects around these strings.
public enum JSONBytes {
    /// `text` as a JSON string (RFC 8259): quote and backslash escaped, control characters as escapes,
    /// everything else — `/` and non-ASCII included — as its UTF-8 bytes, which is what `JSONEncoder` writes
    /// with `.withoutEscapingSlashes`.
    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hexDigit(byte >> 4), hexDigit(byte & 0x0f)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
