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

    public static func parseOne(_ raw: Substring) -> MailAddress? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Group syntax: "Team: a@x, b@y;" — the splitter already cut at commas; drop the label and the `;`.
        if let colon = text.firstIndex(of: ":"), !text.contains("<") || colon < text.firstIndex(of: "<")!,
           !text[..<colon].contains("\"") {
            text = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        if text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard !text.isEmpty else { return nil }
        if let open = text.lastIndex(of: "<") {
            let afterOpen = text.index(after: open)
            let close = text[afterOpen...].firstIndex(of: ">") ?? text.endIndex
            let address = text[afterOpen..<close].trimmingCharacters(in: .whitespaces)
            let name = displayName(String(text[..<open]))
            return MailAddress(name: name, address: address)
        }
        // `ana@example.com (Ana Silva)`: the old comment form.
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let address = text[..<open].trimmingCharacters(in: .whitespaces)
            let name = displayName(String(text[text.index(after: open)..<close]))
            return MailAddress(name: name, address: address)
        }
        return MailAddress(name: "", address: text)
    }

    /// Unquotes and decodes a display name. Encoded words inside quotes are decoded too: forbidden by
    /// RFC 2047, but common.
    static func displayName(_ raw: String) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = EncodedWords.decode(HeaderValueWithParameters.unquote(trimmed)).trimmingCharacters(in: .whitespaces)
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
