import Foundation

/// The raw bytes of a message, borrowed for the length of one parse (no copies of the body).
typealias Bytes = UnsafeBufferPointer<UInt8>

enum ASCII {
    static let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, space: UInt8 = 0x20, tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A, dash: UInt8 = 0x2D, equals: UInt8 = 0x3D, question: UInt8 = 0x3F

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == cr || byte == lf }

    /// Text of header bytes: UTF-8 when valid (RFC 6532 allows it), else Windows-1252 (what old clients sent).
    static func text(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        return validUTF8(array) ?? Charsets.decode(array, charset: "windows-1252")
    }

    /// The text when `bytes` are valid UTF-8, else nil. `String(decoding:)` is the fast path; it repairs
    /// invalid input, so the result equals the input exactly when nothing needed repair.
    static func validUTF8(_ bytes: [UInt8]) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count && bytes.withUnsafeBufferPointer { original in
                decoded.isEmpty || memcmp(decoded.baseAddress!, original.baseAddress!, decoded.count) == 0
            }
        }
        return same ? text : nil
    }

    /// Whitespace trimmed from both ends, without Foundation's (much slower) `trimmingCharacters`. ASCII
    /// whitespace is stepped over byte by byte; only a non-ASCII end asks Unicode (about 50 ns a character,
    /// which a megabyte of tabs in a header would otherwise pay).
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end && isTrimmable(utf8[start]) { start = utf8.index(after: start) }
        while start < end {
            let before = utf8.index(before: end)
            guard isTrimmable(utf8[before]) else { break }
            end = before
        }
        if start < end && (utf8[start] >= 0x80 || utf8[utf8.index(before: end)] >= 0x80) {
            let scalars = text[start..<end].unicodeScalars
            guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
                  let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
            start = first
            end = scalars.index(after: last)
        }
        if start == utf8.startIndex && end == utf8.endIndex { return text }
        return String(text[start..<end])
    }

    /// The index of the next LF in `bytes[start..<end]`, or `end`: memchr, because header blocks and
    /// multiparts are walked line by line and a hostile one has millions of lines.
    @inline(__always)
    static func lineEnd(_ bytes: Bytes, from start: Int, to end: Int) -> Int {
        guard start < end, let base = bytes.baseAddress, let found = memchr(base + start, Int32(lf), end - start) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Space, tab, LF, VT, FF, CR.
    @inline(__always)
    static func isTrimmable(_ byte: UInt8) -> Bool {
        byte == space || (byte >= 0x09 && byte <= 0x0D)
    }
}

/// One header block, unfolded. Names are lower-cased; values keep their raw text (encoded words are
/// decoded by whoever reads a field, because address headers must be split first).
struct MIMEHeaders {
    var fields: [(name: String, value: String)] = []
    /// The budget ran out before the block's end: the fields after that point are missing.
    var outOfTime = false

    func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Parses header lines in `range` (which ends before the blank line). A line without a colon that is not
    /// a continuation is skipped with its continuations: a broken line must not cost the rest of the headers.
    /// A field keeps its first `MailLimits.maximumFieldBytes` and the block its first
    /// `MailLimits.maximumFields` fields; the rest is stepped over, so a hostile header costs one pass and
    /// bounded memory. `budget` is looked at every few thousand lines: a block of millions of lines stops
    /// there, keeping the fields read so far.
    init(_ bytes: Bytes, _ range: Range<Int>, budget: ParseBudget? = nil) {
        // A field is read in place while it has one line (nearly every field); only a folded one is copied.
        var field: Range<Int>?
        var folded: [UInt8] = []
        var skipping = false
        var lineStart = range.lowerBound
        var lines = 0
        while lineStart < range.upperBound {
            lines += 1
            if lines % 4096 == 0, budget?.isExpired == true {
                outOfTime = true
                break
            }
            let lineEnd = ASCII.lineEnd(bytes, from: lineStart, to: range.upperBound)
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
            if contentEnd > lineStart {
                let first = bytes[lineStart]
                if (first == ASCII.space || first == ASCII.tab) && (field != nil || skipping) {
                    // Unfolding (RFC 5322 §2.2.3): the line break goes, the whitespace stays.
                    if let single = field, !skipping {
                        if folded.isEmpty { Self.append(bytes, single, to: &folded) }
                        Self.append(bytes, lineStart..<contentEnd, to: &folded)
                    }
                } else {
                    if let single = field { add(bytes, single, folded: folded) }
                    folded.removeAll(keepingCapacity: true)
                    let colon = memchr(bytes.baseAddress! + lineStart, Int32(ASCII.colon), contentEnd - lineStart)
                    skipping = colon == nil || first == ASCII.colon
                    field = skipping ? nil : lineStart..<contentEnd
                }
            }
            lineStart = lineEnd + 1
        }
        if let single = field { add(bytes, single, folded: folded) }
    }

    /// Appends a line to a folded field, up to the field's cap, never splitting a character.
    static func append(_ bytes: Bytes, _ line: Range<Int>, to field: inout [UInt8]) {
        let room = MailLimits.maximumFieldBytes - field.count
        guard room > 0 else { return }
        if line.count <= room {
            field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[line]))
        } else {
            // One byte more than fits, so the cut can see whether it would split a character.
            let piece = Array(bytes[line.lowerBound...line.lowerBound + room])
            field.append(contentsOf: piece[..<ASCII.utf8Prefix(piece, room)])
        }
    }

    /// The field of one line (`line`) or of several (`folded`, when not empty).
    mutating func add(_ bytes: Bytes, _ line: Range<Int>, folded: [UInt8]) {
        guard fields.count < MailLimits.maximumFields else { return }
        var text = folded
        if folded.isEmpty { Self.append(bytes, line, to: &text) }
        // Field names are short; a "name" of kilobytes is junk, and lower-casing it would cost the most.
        guard let colon = text.firstIndex(of: ASCII.colon), colon > 0, colon <= MailLimits.maximumName else { return }
        // Not Foundation's trimming: it costs tens of milliseconds on a megabyte-long field.
        let name = ASCII.trimmed(ASCII.text(text[..<colon])).lowercased()
        let value = ASCII.trimmed(ASCII.text(text[(colon + 1)...]))
        fields.append((name, value))
    }

    init() {}
}

/// `text/plain; charset="utf-8"` or a Content-Disposition: a lower-cased value and its parameters.
struct HeaderValueWithParameters {
    var value: String
    var parameters: [String: String]

    init(_ raw: String?, default defaultValue: String) {
        guard let raw, !raw.isEmpty else {
            value = defaultValue
            parameters = [:]
            return
        }
        let pieces = Self.splitOutsideQuotes(raw)
        let first = pieces.first.map { ASCII.trimmed(ASCII.prefix(String($0), bytes: MailLimits.maximumName)).lowercased() } ?? ""
        value = first.isEmpty ? defaultValue : first
        var plain: [String: String] = [:]
        // RFC 2231 continuations (`name*0*=`, `name*1=`) and charset-tagged values (`name*=utf-8''…`).
        var extended: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces.dropFirst().prefix(MailLimits.maximumParameters) {
            guard let equals = piece.utf8.firstIndex(of: ASCII.equals),
                  piece.utf8.distance(from: piece.startIndex, to: equals) <= MailLimits.maximumName else { continue }
            var key = ASCII.trimmed(String(piece[..<equals])).lowercased()
            let rawValue = Self.unquote(ASCII.trimmed(String(piece[piece.utf8.index(after: equals)...])))
            guard key.contains("*") else {
                plain[key] = ASCII.prefix(rawValue, bytes: MailLimits.maximumParameterBytes)
                continue
            }
            let encoded = key.hasSuffix("*")
            if encoded { key.removeLast() }
            let parts = key.split(separator: "*", maxSplits: 1)
            let base = parts.first.map(String.init) ?? key
            let index = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            // A name is spread over a few sections in practice; more, or an index past them, is padding.
            guard index < MailLimits.maximumSections, extended[base, default: []].count < MailLimits.maximumSections else { continue }
            extended[base, default: []].append((index, rawValue, encoded))
        }
        for (key, sections) in extended {
            var charset = "utf-8"
            var bytes: [UInt8] = []
            for (position, section) in sections.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var text = Substring(section.1)
                if section.2 && position == 0 {
                    let quoteParts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if quoteParts.count == 3 {
                        charset = String(quoteParts[0]).isEmpty ? "utf-8" : String(quoteParts[0])
                        text = quoteParts[2]
                    }
                }
                bytes += section.2 ? Self.percentDecoded(text) : Array(text.utf8)
                if bytes.count >= MailLimits.maximumParameterBytes { break }
            }
            if bytes.count > MailLimits.maximumParameterBytes {
                bytes.removeSubrange(ASCII.utf8Prefix(bytes, MailLimits.maximumParameterBytes)...)
            }
            plain[key] = Charsets.decode(bytes, charset: charset)
        }
        parameters = plain
    }

    /// Pieces between `;` outside quotes; after `MailLimits.maximumParameters` pieces the rest is one piece.
    /// Walks UTF-8 bytes, not Characters: the marks are ASCII, and a hostile header can be megabytes.
    static func splitOutsideQuotes(_ text: String) -> [Substring] {
        var pieces: [Substring] = []
        var inQuotes = false
        var escaped = false
        var start = text.startIndex
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") && inQuotes {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: ";") && !inQuotes {
                pieces.append(text[start..<index])
                start = utf8.index(after: index)
                if pieces.count > MailLimits.maximumParameters { break }
            }
            index = utf8.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    /// `"a \"b\""` → `a "b"`; anything not in quotes stays as it is. Over bytes: a value can be megabytes.
    static func unquote(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count - 2)
        var escaped = false
        for byte in utf8.dropFirst().dropLast() {
            if escaped {
                result.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func percentDecoded(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count,
               let high = TransferEncoding.hexValue(bytes[index + 1]), let low = TransferEncoding.hexValue(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
