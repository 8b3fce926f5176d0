import Foundation
import StewardCore

extension MailParser {
    /// What the walk over the part tree collects, and what it may still spend: parts, text and time.
    struct Content {
        var plain: [String] = []
        /// Already turned into text.
        var html: [String] = []
        var calendar = false
        var attachments: [String] = []
        let budget: ParseBudget
        var partsLeft = MailLimits.maximumParts
        /// UTF-8 bytes collected so far; plain and HTML separately, since the body is one or the other.
        var plainBytes = 0
        var htmlBytes = 0
        var omission: MailBodyOmission?

        init(budget: ParseBudget) {
            self.budget = budget
        }

        /// Keeps the reason that says most: a lost budget over skipped parts over a cut text.
        mutating func omit(_ reason: MailBodyOmission) {
            let rank: [MailBodyOmission: Int] = [.truncated: 1, .tooComplex: 2, .tooLarge: 3, .timeBudget: 4]
            if (rank[reason] ?? 0) > (omission.flatMap { rank[$0] } ?? 0) { omission = reason }
        }

        /// False once the budget is spent (and says so); looked at before every part.
        mutating func mayContinue() -> Bool {
            if omission == .timeBudget { return false }
            if budget.isExpired {
                omit(.timeBudget)
                return false
            }
            return true
        }

        func textLeft(plain isPlain: Bool) -> Int {
            max(0, MailLimits.maximumText - (isPlain ? plainBytes : htmlBytes))
        }

        mutating func add(plain text: String?, truncated: Bool) {
            if truncated { omit(.truncated) }
            guard let text else { return }
            plainBytes += text.utf8.count
            plain.append(text)
        }

        mutating func add(html conversion: HTMLText.Conversion?, truncated: Bool) {
            if truncated { omit(.truncated) }
            guard let conversion else { return }
            if conversion.outOfTime { omit(.timeBudget) }
            if conversion.truncated { omit(.truncated) }
            htmlBytes += conversion.text.utf8.count
            html.append(conversion.text)
        }
    }

    /// A text/plain part → its text, at most `limit` UTF-8 bytes of it (nil when there is no room left), and
    /// whether anything was cut. Only the part's beginning is decoded at all, so a 40 MB part costs what
    /// its first megabytes do.
    static func plainText(_ bytes: Bytes, _ range: Range<Int>, headers: MIMEHeaders, charset: String?,
                          limit: Int) -> (text: String?, truncated: Bool) {
        guard limit > 0 else { return (nil, !range.isEmpty) }
        let inputCut = range.count > MailLimits.maximumPlainInput
        let input = inputCut ? range.lowerBound..<range.lowerBound + MailLimits.maximumPlainInput : range
        var decoded = transferDecoded(bytes, input, headers: headers)
        let charsetName = charset ?? "us-ascii"
        let wide = charsetName.lowercased().hasPrefix("utf-16") || charsetName.lowercased().hasPrefix("utf-32")
        if !wide {
            decoded.removeAll { $0 == ASCII.cr }  // CRLF → LF; every ASCII-compatible charset keeps CR as 0x0D
        }
        guard decoded.count > limit else { return (Charsets.decode(decoded, charset: charsetName), inputCut) }
        return (decodePrefix(decoded, limit: limit, charset: charsetName), true)
    }

    /// The text of the first `limit` bytes of `decoded`, cut where no character is split: a split character
    /// would make a whole UTF-8 part look invalid and decode as Windows-1252.
    static func decodePrefix(_ decoded: [UInt8], limit: Int, charset: String) -> String {
        let name = Charsets.canonicalName(charset)
        var cut = limit
        if name == "utf-8" || name == "us-ascii" || name.isEmpty {
            cut = ASCII.utf8Prefix(decoded, limit)
        } else if name.hasPrefix("utf-16") || name.hasPrefix("utf-32") {
            cut = limit - limit % 4
        } else if Charsets.foundationEncoding(name) != nil {
            // Multi-byte charsets: step back until the prefix decodes (a character is at most 4 bytes).
            for candidate in stride(from: limit, through: max(0, limit - 3), by: -1) {
                let prefix = Array(decoded[..<candidate])
                if let encoding = Charsets.foundationEncoding(name), let text = String(data: Data(prefix), encoding: encoding) {
                    return text
                }
            }
        }
        return Charsets.decode(Array(decoded[..<cut]), charset: charset)
    }

    /// A text/html part → its text (nil when there is no room left) and whether its input was cut. UTF-8
    /// HTML without transfer encoding is read in place, without a copy.
    static func htmlText(_ bytes: Bytes, _ range: Range<Int>, headers: MIMEHeaders, charset: String?, limit: Int,
                         budget: ParseBudget) -> (conversion: HTMLText.Conversion?, truncated: Bool) {
        guard limit > 0 else { return (nil, !range.isEmpty) }
        let inputCut = range.count > MailLimits.maximumHTMLInput
        let input = inputCut ? range.lowerBound..<range.lowerBound + MailLimits.maximumHTMLInput : range
        let canonical = charset.map(Charsets.canonicalName) ?? ""
        guard canonical == "utf-8" else {
            let text = decodeText(bytes, input, headers: headers, charset: canonical)
            return (Array(text.utf8).withUnsafeBufferPointer { HTMLText.convert($0, limit: limit, budget: budget) }, inputCut)
        }
        // Straight from bytes: the conversion works on UTF-8 anyway, and line ends are whitespace to it.
        switch transferEncoding(headers) {
        case "base64", "quoted-printable":
            let decoded = transferDecoded(bytes, input, headers: headers)
            return (decoded.withUnsafeBufferPointer { HTMLText.convert($0, limit: limit, budget: budget) }, inputCut)
        default:
            return (HTMLText.convert(UnsafeBufferPointer(rebasing: bytes[input]), limit: limit, budget: budget), inputCut)
        }
    }
}
