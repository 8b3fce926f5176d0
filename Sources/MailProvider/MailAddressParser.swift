import Foundation
import StewardCore

/// Address headers (RFC 5322 §3.4) → mailboxes. Tolerant: a piece it cannot read becomes an address of
/// its own text rather than an error, and group syntax (`undisclosed-recipients:;`) yields its members.
public enum MailAddressParser {
    /// The first `MailLimits.maximumAddresses` mailboxes: a list of 100,000 costs no more than its start.
    public static func parseList(_ header: String?) -> [MailAddress] {
        guard let header, !header.isEmpty else { return [] }
        return splitList(header, limit: MailLimits.maximumAddresses).compactMap(parseOne)
    }

    /// One mailbox. Marks are found in UTF-8 bytes and the parts are capped (`MailLimits`), so a megabyte
    /// of display name costs one scan and yields a short name and the right address.
    public static func parseOne(_ raw: Substring) -> MailAddress? {
        var text = ASCII.trimmed(String(raw))
        // Group syntax: "Team: a@x, b@y;" — the splitter already cut at commas; drop the label and the `;`.
        if let colon = text.utf8.firstIndex(of: ASCII.colon) {
            let angle = text.utf8.firstIndex(of: UInt8(ascii: "<"))
            if angle.map({ colon < $0 }) ?? true, !text[..<colon].utf8.contains(UInt8(ascii: "\"")) {
                text = ASCII.trimmed(String(text[text.utf8.index(after: colon)...]))
            }
        }
        if text.utf8.last == UInt8(ascii: ";") { text = ASCII.trimmed(String(text.dropLast())) }
        guard !text.isEmpty else { return nil }
        if let open = text.utf8.lastIndex(of: UInt8(ascii: "<")) {
            let afterOpen = text.utf8.index(after: open)
            let close = text[afterOpen...].utf8.firstIndex(of: UInt8(ascii: ">")) ?? text.endIndex
            return MailAddress(name: displayName(text[..<open]), address: address(text[afterOpen..<close]))
        }
        // `ana@example.com (Ana Silva)`: the old comment form.
        if let open = text.utf8.firstIndex(of: UInt8(ascii: "(")), let close = text.utf8.lastIndex(of: UInt8(ascii: ")")),
           open < close {
            return MailAddress(name: displayName(text[text.utf8.index(after: open)..<close]), address: address(text[..<open]))
        }
        return MailAddress(name: "", address: address(Substring(text)))
    }

    /// RFC 5321 caps an address at 254 bytes; whatever is longer is cut at a line's 998.
    static func address(_ raw: Substring) -> String {
        ASCII.trimmed(ASCII.prefix(String(raw), bytes: 998))
    }

    /// Unquotes and decodes a display name. Encoded words inside quotes are decoded too: forbidden by
    /// RFC 2047, but common. Only the start of a long one is read: the name is capped anyway.
    static func displayName(_ raw: Substring) -> String {
        let trimmed = ASCII.trimmed(ASCII.prefix(String(raw), bytes: 16 * MailLimits.maximumName))
        let name = ASCII.trimmed(EncodedWords.decode(HeaderValueWithParameters.unquote(trimmed)))
        return ASCII.capped(name, MailLimits.maximumName)
    }

    /// Splits at commas outside quotes, angle brackets and comments, into at most `limit` pieces (the text
    /// after the last is dropped). Walks UTF-8 bytes: the marks are ASCII, and the header can be megabytes.
    static func splitList(_ text: String, limit: Int = .max) -> [Substring] {
        var pieces: [Substring] = []
        var inQuotes = false, escaped = false
        var angle = 0, comment = 0
        var start = text.startIndex
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            defer { index = utf8.index(after: index) }
            if escaped { escaped = false; continue }
            switch byte {
            case UInt8(ascii: "\\") where inQuotes: escaped = true
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "<") where !inQuotes: angle += 1
            case UInt8(ascii: ">") where !inQuotes: angle = max(0, angle - 1)
            case UInt8(ascii: "(") where !inQuotes: comment += 1
            case UInt8(ascii: ")") where !inQuotes: comment = max(0, comment - 1)
            case UInt8(ascii: ",") where !inQuotes && angle == 0 && comment == 0:
                pieces.append(text[start..<index])
                start = utf8.index(after: index)
                if pieces.count >= limit { return pieces }
            default: break
            }
        }
        pieces.append(text[start...])
        return pieces
    }
}
