import Foundation

/// HTML-only mail → readable text: tags dropped, `script`/`style`/`head` contents dropped, entities
/// decoded, a line break for each block element, runs of whitespace collapsed. Not a renderer: it only
/// has to give the owner (and triage) the words.
public enum HTMLText {
    static let blockTags: Set<String> = [
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "hr", "section", "article", "header", "footer", "pre", "dd", "dt", "dl", "address", "center", "title",
    ]
    static let skippedTags: Set<String> = ["script", "style", "head", "noscript", "template"]
    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "hellip": "…", "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "bull": "•",
        "middot": "·", "zwnj": "", "zwj": "", "shy": "", "times": "×", "deg": "°",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "egrave": "è", "agrave": "à", "ccedil": "ç",
    ]

    public static func text(fromHTML html: String) -> String {
        text(fromHTMLBytes: Array(html.utf8))
    }

    /// UTF-8 HTML → text; invalid UTF-8 comes out as U+FFFD.
    public static func text(fromHTMLBytes bytes: [UInt8]) -> String {
        // Bytes, not Characters: every byte of a newsletter passes through here, and UTF-8 never puts a
        // multi-byte sequence's bytes in the ASCII range, so tags and entities are found byte-wise.
        bytes.withUnsafeBufferPointer { text(fromHTMLBuffer: $0) }
    }

    /// The conversion proper, over a buffer so neither copies nor helper calls cost anything.
    static func text(fromHTMLBuffer source: Bytes) -> String {
        var writer = TextWriter(capacity: source.count / 2)
        let count = source.count
        var index = 0
        // Locals, so the loop does not pay a lazy-global check per tag.
        let blockKeys = Self.blockKeys, skippedKeys = Self.skippedKeys, headingKeys = Self.headingKeys
        let keyP = Keys.p, keyLI = Keys.li, keyTD = Keys.td, keyTH = Keys.th, keyTable = Keys.table
        let endsRun = Self.runEnds
        while index < count {
            let byte = source[index]
            // `<` starts a tag only before a letter, `/` or `!` (as in browsers): "a < b" is text.
            let next = index + 1 < count ? source[index + 1] | 0x20 : 0
            if byte == UInt8(ascii: "<") && ((next >= 0x61 && next <= 0x7A) || next == 0x2F || next == 0x21) {
                if next == 0x21 && matches(source, at: index, "<!--") {
                    index = find(source, "-->", from: index + 4, limit: count).map { $0 + 3 } ?? count
                    continue
                }
                guard let close = findByte(source, UInt8(ascii: ">"), from: index + 1, limit: count) else {
                    writer.emit(byte)
                    index += 1
                    continue
                }
                let (key, closing) = tagKey(source, from: index + 1, to: close)
                index = close + 1
                guard key != 0 else { continue }
                if !closing && skippedKeys.contains(key) {
                    index = findEndTag(source, key: key, from: index, limit: count) ?? count
                    continue
                }
                if key == keyLI && closing { continue }  // the next <li> or the list's end breaks the line
                if blockKeys.contains(key) {
                    writer.newline()
                    if key == keyP || key == keyTable || headingKeys.contains(key) { writer.newline() }
                    if key == keyLI { writer.emit("• ") }
                } else if key == keyTD || key == keyTH {
                    writer.pendingSpace = true
                }
                continue
            }
            if byte == UInt8(ascii: "&"), let (decoded, next) = entity(source, at: index, limit: count) {
                writer.emit(decoded)
                index = next
                continue
            }
            if isSpace(byte) {
                writer.pendingSpace = true
                index += 1
                continue
            }
            // A run of ordinary text is copied in one piece; one table lookup per byte finds its end.
            var end = index + 1
            while end < count && !endsRun[Int(source[end])] { end += 1 }
            writer.emit(UnsafeBufferPointer(rebasing: source[index..<end]))
            index = end
        }
        // Trimmed as bytes first, so the text is not copied again just to drop a final line break.
        var bytes = writer.bytes
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        return ASCII.trimmed(String(decoding: bytes, as: UTF8.self))
    }

    /// Bytes that end a run of text: `<`, `&` and whitespace.
    static let runEnds: [Bool] = (0...255).map { byte in
        byte == Int(UInt8(ascii: "<")) || byte == Int(UInt8(ascii: "&")) || isSpace(UInt8(byte))
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.lf || byte == ASCII.tab || byte == ASCII.cr || byte == 0x0C
    }

    /// Output with collapsed whitespace: at most one space between words and one blank line between blocks.
    struct TextWriter {
        var bytes: [UInt8] = []
        var pendingSpace = false
        var newlines = 0

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func emit(_ byte: UInt8) {
            if pendingSpace && newlines == 0 && !bytes.isEmpty { bytes.append(ASCII.space) }
            pendingSpace = false
            bytes.append(byte)
            newlines = 0
        }

        mutating func emit(_ run: Bytes) {
            if pendingSpace && newlines == 0 && !bytes.isEmpty { bytes.append(ASCII.space) }
            pendingSpace = false
            bytes.append(contentsOf: run)
            newlines = 0
        }

        mutating func emit(_ text: String) {
            for byte in text.utf8 { byte == ASCII.space ? (pendingSpace = true) : emit(byte) }
        }

        mutating func newline() {
            guard !bytes.isEmpty, newlines < 2 else { return }
            bytes.append(ASCII.lf)
            newlines += 1
            pendingSpace = false
        }
    }

    /// A tag name packed into an integer, 6 bits per letter or digit (names up to 10 characters; longer or
    /// odd ones are 0 = not interesting): classifying a tag is then a few integer compares, no hashing.
    static func key(_ name: String) -> UInt64 {
        var source = Array(name.utf8)
        source.append(UInt8(ascii: ">"))
        return source.withUnsafeBufferPointer { tagKey($0, from: 0, to: $0.count - 1).key }
    }

    static func tagKey(_ source: Bytes, from start: Int, to end: Int) -> (key: UInt64, closing: Bool) {
        var index = start
        let closing = index < end && source[index] == UInt8(ascii: "/")
        if closing { index += 1 }
        var key: UInt64 = 0
        var length = 0
        while index < end {
            let byte = source[index] | 0x20  // lower-case letters; digits already have the bit
            let value: UInt64
            if byte >= 0x61 && byte <= 0x7A {
                value = UInt64(byte - 0x61 + 1)
            } else if byte >= 0x30 && byte <= 0x39 && length > 0 {
                value = UInt64(byte - 0x30 + 27)
            } else {
                break
            }
            length += 1
            if length > 10 { return (0, closing) }
            key = key << 6 | value
            index += 1
        }
        return (key, closing)
    }

    enum Keys {
        static let p = key("p"), li = key("li"), td = key("td"), th = key("th"), table = key("table")
    }
    static let blockKeys = blockTags.map(key)
    static let skippedKeys = skippedTags.map(key)
    static let headingKeys = ["h1", "h2", "h3", "h4", "h5", "h6"].map(key)

    /// The index after `</name…>`, matched case-insensitively.
    static func findEndTag(_ source: Bytes, key: UInt64, from start: Int, limit: Int) -> Int? {
        var index = start
        while let open = find(source, "</", from: index, limit: limit) {
            if tagKey(source, from: open + 1, to: limit) == (key, true) {
                return findByte(source, UInt8(ascii: ">"), from: open, limit: limit).map { $0 + 1 }
            }
            index = open + 2
        }
        return nil
    }

    static func matches(_ source: Bytes, at index: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= source.count else { return false }
        return literal.withUTF8Buffer { pattern in
            for offset in 0..<count where source[index + offset] != pattern[offset] { return false }
            return true
        }
    }

    static func findByte(_ source: Bytes, _ byte: UInt8, from start: Int, limit: Int) -> Int? {
        guard start < limit, let base = source.baseAddress,
              let found = memchr(base + start, Int32(byte), limit - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    static func find(_ source: Bytes, _ literal: StaticString, from start: Int, limit: Int) -> Int? {
        let first = literal.withUTF8Buffer { $0[0] }
        var index = max(0, start)
        while index < limit {
            if source[index] == first && matches(source, at: index, literal) { return index }
            index += 1
        }
        return nil
    }

    /// `&amp;`, `&#8212;`, `&#x2014;` → text and the index after `;`. Unknown names stay as written.
    static func entity(_ source: Bytes, at start: Int, limit: Int) -> (String, Int)? {
        var index = start + 1
        while index < limit && index - start <= 10 {
            let byte = source[index]
            if byte == UInt8(ascii: ";") {
                let name = String(decoding: UnsafeBufferPointer(rebasing: source[(start + 1)..<index]), as: UTF8.self)
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let value = digits.hasPrefix("x") || digits.hasPrefix("X")
                        ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                    guard let value, let decoded = Unicode.Scalar(value) else { return nil }
                    return (String(Character(decoded)), index + 1)
                }
                guard let decoded = namedEntities[name] ?? namedEntities[name.lowercased()] else { return nil }
                return (decoded, index + 1)
            }
            let isNameByte = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == UInt8(ascii: "#")
            guard isNameByte else { return nil }
            index += 1
        }
        return nil
    }
}
