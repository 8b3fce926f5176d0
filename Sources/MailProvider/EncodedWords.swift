import Foundation

/// RFC 2047 encoded words in headers: `=?UTF-8?B?…?=` and `=?ISO-8859-1?Q?…?=`.
public enum EncodedWords {
    /// Decodes every encoded word in `value`. Whitespace between two adjacent encoded words is dropped
    /// (§6.2), and adjacent words in one charset are joined before decoding, because encoders split
    /// multi-byte characters across words.
    public static func decode(_ value: String) -> String {
        guard value.utf8.contains(ASCII.question) else { return value }
        let bytes = Array(value.utf8)
        var output = ""
        var pending: [UInt8] = []
        var pendingCharset = ""
        var literalStart = 0
        var index = 0
        func flush() {
            guard !pending.isEmpty else { return }
            output += Charsets.decode(pending, charset: pendingCharset)
            pending.removeAll()
        }
        while index + 1 < bytes.count {
            guard bytes[index] == ASCII.equals, bytes[index + 1] == ASCII.question,
                  let word = parseWord(bytes, at: index) else {
                index += 1
                continue
            }
            let between = bytes[literalStart..<index]
            // literalStart > 0 means an encoded word ended there; only whitespace between two words goes.
            let joinsPrevious = literalStart > 0 && between.allSatisfy(ASCII.isWhitespace)
            if !(joinsPrevious && word.charset == pendingCharset) {
                flush()
                if !joinsPrevious { output += ASCII.text(between) }
                pendingCharset = word.charset
            }
            pending += word.bytes
            pendingCharset = word.charset
            index = word.end
            literalStart = word.end
        }
        flush()
        if literalStart < bytes.count { output += ASCII.text(bytes[literalStart...]) }
        return output
    }

    /// RFC 2047 allows 75 bytes a word; real encoders overshoot a little (the corpus holds a 76-byte one),
    /// so a word may run to this length before it is taken for text.
    static let maximumWordLength = 200

    /// `=?charset?enc?text?=` starting at `start` → charset, decoded bytes and the index after `?=`.
    /// A word ends at the next `=?` or after `maximumWordLength` bytes at the latest: a `=?` that is never
    /// closed is looked at once, as text, rather than scanned to the header's end for every `=?` in it.
    static func parseWord(_ bytes: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
        let limit = min(bytes.count, start + maximumWordLength)
        var index = start + 2
        let charsetStart = index
        while index < limit && bytes[index] != ASCII.question && !ASCII.isWhitespace(bytes[index]) { index += 1 }
        guard index + 2 < limit, bytes[index] == ASCII.question, index > charsetStart,
              bytes[index + 2] == ASCII.question else { return nil }
        let charsetEnd = index
        let encoding = bytes[index + 1] | 0x20  // lower-case
        let textStart = index + 3
        index = textStart
        while index + 1 < limit && !(bytes[index] == ASCII.question && bytes[index + 1] == ASCII.equals) {
            if ASCII.isWhitespace(bytes[index]) { return nil }
            // The next word's start: this one was never closed. (`=?=` is base64 padding before the end.)
            if bytes[index] == ASCII.equals && bytes[index + 1] == ASCII.question
                && !(index + 2 < bytes.count && bytes[index + 2] == ASCII.equals) { return nil }
            index += 1
        }
        guard index + 1 < limit else { return nil }
        let text = bytes[textStart..<index]
        let decoded: [UInt8]
        switch encoding {
        case UInt8(ascii: "b"):
            decoded = TransferEncoding.base64Decode(text)
        case UInt8(ascii: "q"):
            decoded = TransferEncoding.quotedPrintableDecode(text.map { $0 == UInt8(ascii: "_") ? ASCII.space : $0 })
        default:
            return nil
        }
        // Named only now: most `=?` in hostile text never get this far, and a String per try is the cost.
        return (ASCII.text(bytes[charsetStart..<charsetEnd]), decoded, index + 2)
    }
}
