import Foundation

/// Telegram's HTML parse mode, as the Bot API documents it ("Formatting options"): the supported tags
/// (`b strong i em u ins s strike del span.tg-spoiler tg-spoiler a code pre blockquote tg-emoji`),
/// the named entities `&lt; &gt; &amp; &quot;` and numeric ones. Anything else is refused the way
/// Telegram refuses it: "can't parse entities: …". Stricter than Telegram on one point: a bare `&`
/// that starts no entity is an error, so a renderer that forgets to escape is caught in tests.
public enum FakeTelegramHTML {
    public struct Entity: Sendable, Equatable {
        public var type: String
        /// UTF-16 code units, as Telegram counts.
        public var offset: Int
        public var length: Int
        public var url: String?
    }

    public struct Parsed: Sendable, Equatable {
        public var text: String
        public var entities: [Entity]
    }

    private static let tagTypes: [String: String] = [
        "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
        "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
        "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
        "tg-emoji": "custom_emoji",
    ]

    /// The plain text and entities of `html`, or the reason Telegram would give for refusing it.
    public static func parse(_ html: String) -> Result<Parsed, FakeTelegramHTMLError> {
        let scalars = Array(html.unicodeScalars)
        var byteOffsets: [Int] = []
        byteOffsets.reserveCapacity(scalars.count + 1)
        var bytes = 0
        for scalar in scalars {
            byteOffsets.append(bytes)
            bytes += String(scalar).utf8.count
        }
        byteOffsets.append(bytes)

        var text = String.UnicodeScalarView()
        var length16 = 0
        var open: [(name: String, type: String, start: Int, url: String?)] = []
        var entities: [Entity] = []
        var index = 0

        func fail(_ message: String) -> Result<Parsed, FakeTelegramHTMLError> { .failure(.init(message: message)) }
        func append(_ scalar: Unicode.Scalar) {
            text.append(scalar)
            length16 += scalar.utf16.count
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "&":
                guard let (decoded, next) = decodeEntity(scalars, at: index) else {
                    return fail("Unsupported HTML entity at byte offset \(byteOffsets[index])")
                }
                append(decoded)
                index = next
            case "<":
                let start = index
                guard let close = findTagEnd(scalars, from: index) else {
                    return fail("Unclosed start tag at byte offset \(byteOffsets[start])")
                }
                let inside = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                index = close + 1
                if inside.hasPrefix("/") {
                    let name = inside.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                    guard let last = open.last else {
                        return fail("Unexpected end tag at byte offset \(byteOffsets[start])")
                    }
                    guard last.name == name else {
                        return fail("Unmatched end tag at byte offset \(byteOffsets[start]), expected \"</\(last.name)>\", found \"</\(name)>\"")
                    }
                    open.removeLast()
                    if length16 > last.start {
                        entities.append(Entity(type: last.type, offset: last.start, length: length16 - last.start, url: last.url))
                    }
                } else {
                    let name = String(inside.prefix { $0.isLetter || $0.isNumber || $0 == "-" }).lowercased()
                    guard !name.isEmpty else { return fail("Empty tag name at byte offset \(byteOffsets[start])") }
                    guard var type = tagTypes[name] else {
                        return fail("Unsupported start tag \"\(name)\" at byte offset \(byteOffsets[start])")
                    }
                    let attributes = parseAttributes(String(inside.dropFirst(name.count)))
                    if name == "span", attributes["class"] != "tg-spoiler" {
                        return fail("Tag \"span\" must have class \"tg-spoiler\" at byte offset \(byteOffsets[start])")
                    }
                    if name == "blockquote", attributes["expandable"] != nil { type = "expandable_blockquote" }
                    open.append((name, type, length16, name == "a" ? attributes["href"] : nil))
                }
            default:
                append(scalar)
                index += 1
            }
        }
        if let unclosed = open.last {
            return fail("Can't find end tag corresponding to start tag \"\(unclosed.name)\"")
        }
        return .success(Parsed(text: String(text), entities: entities.sorted { $0.offset < $1.offset }))
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&#NN;` `&#xHH;` starting at `index`; nil when none is there.
    private static func decodeEntity(_ scalars: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
        var end = index + 1
        while end < scalars.count, end - index <= 10, scalars[end] != ";" { end += 1 }
        guard end < scalars.count, scalars[end] == ";" else { return nil }
        let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
        let named: [String: Unicode.Scalar] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\""]
        if let scalar = named[name] { return (scalar, end + 1) }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
        return (scalar, end + 1)
    }

    /// The index of the `>` closing the tag at `index`, skipping quoted attribute values.
    private static func findTagEnd(_ scalars: [Unicode.Scalar], from index: Int) -> Int? {
        var quote: Unicode.Scalar?
        var position = index + 1
        while position < scalars.count {
            let scalar = scalars[position]
            if let current = quote {
                if scalar == current { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return position
            } else if scalar == "<" {
                return nil
            }
            position += 1
        }
        return nil
    }

    private static func parseAttributes(_ text: String) -> [String: String] {
        var attributes: [String: String] = [:]
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" }
            guard !name.isEmpty else { break }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop { $0.isWhitespace }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let body = rest.dropFirst().prefix { $0 != quote }
                    value = String(body)
                    rest = rest.dropFirst(body.count + 2)
                } else {
                    let body = rest.prefix { !$0.isWhitespace }
                    value = String(body)
                    rest = rest.dropFirst(body.count)
                }
            }
            attributes[name.lowercased()] = unescape(value)
        }
        return attributes
    }

    private static func unescape(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

public struct FakeTelegramHTMLError: Error, Sendable, Equatable {
    public var message: String
}
