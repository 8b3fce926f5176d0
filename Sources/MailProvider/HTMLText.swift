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

    static func text(fromHTMLBuffer source: Bytes) -> String {
        convert(source, limit: .max, budget: nil).text
    }

    /// What one conversion produced.
    struct Conversion {
        var text: String
        /// The text reached `limit`: `text` is its beginning.
        var truncated = false
        /// The budget ran out part-way: `text` is incomplete.
        var outOfTime = false
    }

    /// The conversion proper, over a buffer so neither copies nor helper calls cost anything. Every step is
    /// linear: a tag, comment or skipped element that is never closed is scanned for its end once, not once
    /// per `<`. The output stops at `limit` UTF-8 bytes; `budget` is looked at every `budgetStride` bytes.
    static func convert(_ source: Bytes, limit: Int, budget: ParseBudget?) -> Conversion {
        var writer = TextWriter(capacity: min(source.count / 2, limit))
        let count = source.count
        var index = 0
        // Once a scan for `>` ran to the end, no later `<` can close either (not even a comment, whose end
        // has one): from there on every `<` is text, read as part of the run it is in, never rescanned.
        var noCloseAhead = false
        var nextBudgetCheck = budgetStride
        var result = Conversion(text: "")
        // Locals, so the loop does not pay a lazy-global check per tag or per byte.
        let tags = Self.tagTable
        var endsRun = Self.runEnds
        while index < count {
            if writer.bytes.count >= limit {
                result.truncated = true
                break
            }
            if index >= nextBudgetCheck {
                nextBudgetCheck = index + budgetStride
                if budget?.isExpired == true {
                    result.outOfTime = true
                    break
                }
            }
            let byte = source[index]
            // `<` starts a tag only before a letter, `/` or `!` (as in browsers): "a < b" is text.
            if byte == UInt8(ascii: "<") && !noCloseAhead && index + 1 < count && startsTag(source[index + 1]) {
                if source[index + 1] == UInt8(ascii: "!") && matches(source, at: index, "<!--") {
                    index = find(source, "-->", from: index + 4, limit: count).map { $0 + 3 } ?? count
                    continue
                }
                // Tags are short: a plain scan finds the `>` sooner than a call to memchr would.
                var close = index + 1
                while close < count && source[close] != UInt8(ascii: ">") { close += 1 }
                guard close < count else {
                    noCloseAhead = true
                    endsRun = Self.textEnds
                    writer.emit(byte)
                    index += 1
                    continue
                }
                let (key, closing) = tagKey(source, from: index + 1, to: close)
                index = close + 1
                guard key != 0, let kind = tags.kind(of: key) else { continue }
                switch kind {
                case .skipped:
                    if !closing { index = findEndTag(source, key: key, from: index, limit: count) ?? count }
                case .listItem:
                    // The next <li> or the list's end breaks the line.
                    if !closing {
                        writer.newline()
                        writer.emit("• ")
                    }
                case .paragraph:
                    writer.newline()
                    writer.newline()
                case .block:
                    writer.newline()
                case .cell:
                    writer.pendingSpace = true
                }
                continue
            }
            if byte == UInt8(ascii: "&"), let (decoded, next) = entity(source, at: index, limit: count) {
                writer.emit(text: decoded)
                index = next
                continue
            }
            if isSpace(byte) {
                writer.pendingSpace = true
                index += 1
                while index < count && isSpace(source[index]) { index += 1 }
                continue
            }
            // A run of ordinary text is copied in one piece; one table lookup per byte finds its end, and it
            // never goes far past `limit`: a run can be megabytes of text without a space.
            let room = limit - writer.bytes.count  // positive: checked at the top of the loop
            let runEnd = room >= count - index ? count : index + room + 4
            var end = index + 1
            while end < runEnd {
                let next = source[end]
                if !endsRun[Int(next)] {
                    end += 1
                } else if next == UInt8(ascii: "<") && !(end + 1 < count && startsTag(source[end + 1])) {
                    end += 1  // "a < b", "<<<": text, and part of this run rather than a run of one byte each
                } else if next == UInt8(ascii: "&") && !(end + 1 < count && startsEntity(source[end + 1])) {
                    end += 1  // "R&D", "&&&": likewise
                } else {
                    break
                }
            }
            writer.emit(UnsafeBufferPointer(rebasing: source[index..<end]))
            index = end
        }
        // Trimmed as bytes first, so the text is not copied again just to drop a final line break.
        var bytes = writer.bytes
        if bytes.count > limit {
            result.truncated = true
            bytes.removeSubrange(ASCII.utf8Prefix(bytes, limit)...)
        }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        result.text = ASCII.trimmed(String(decoding: bytes, as: UTF8.self))
        return result
    }

    /// How many input bytes pass between two looks at the clock: a look costs about as much as 1 KB of text.
    static let budgetStride = 64 * 1024

    /// What ends a run once no `>` is left: `&` and whitespace.
    static let textEnds: [Bool] = (0...255).map { byte in
        byte == Int(UInt8(ascii: "&")) || isSpace(UInt8(byte))
    }

    /// Bytes that end a run of text: `<`, `&` and whitespace.
    static let runEnds: [Bool] = (0...255).map { byte in
        byte == Int(UInt8(ascii: "<")) || byte == Int(UInt8(ascii: "&")) || isSpace(UInt8(byte))
    }

    /// A letter, digit or `#` after `&` may make an entity.
    @inline(__always)
    static func startsEntity(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "#")
    }

    /// A letter, `/` or `!` after `<` makes a tag.
    @inline(__always)
    static func startsTag(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || byte == 0x2F || byte == 0x21
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
            // One-byte runs ("x", a lone quote) are common in hostile text; append(contentsOf:) costs more.
            if run.count == 1 { bytes.append(run[0]) } else { bytes.append(contentsOf: run) }
            newlines = 0
        }

        mutating func emit(_ text: String) { emit(text: Array(text.utf8)) }

        /// Decoded text (an entity's): a space in it is a word break like any other.
        mutating func emit(text: [UInt8]) {
            for byte in text { byte == ASCII.space ? (pendingSpace = true) : emit(byte) }
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

    /// What a tag does to the text.
    enum TagKind {
        /// One line break.
        case block
        /// A blank line: paragraphs, tables, headings.
        case paragraph
        case listItem
        /// A table cell: a space.
        case cell
        /// Contents dropped (script, style, head…).
        case skipped
    }

    /// Every tag that matters, sorted by key: a binary search of a few integer compares per tag.
    struct TagTable {
        let keys: [UInt64]
        let kinds: [TagKind]

        init(_ entries: [(String, TagKind)]) {
            let sorted = entries.map { (HTMLText.key($0.0), $0.1) }.sorted { $0.0 < $1.0 }
            keys = sorted.map(\.0)
            kinds = sorted.map(\.1)
        }

        @inline(__always)
        func kind(of key: UInt64) -> TagKind? {
            var low = 0, high = keys.count
            while low < high {
                let middle = (low + high) / 2
                if keys[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low < keys.count && keys[low] == key ? kinds[low] : nil
        }
    }

    static let tagTable = TagTable(
        blockTags.map { name -> (String, TagKind) in
            switch name {
            case "li": (name, .listItem)
            case "p", "table", "h1", "h2", "h3", "h4", "h5", "h6": (name, .paragraph)
            default: (name, .block)
            }
        } + [("td", .cell), ("th", .cell)] + skippedTags.map { ($0, .skipped) })

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

    /// `&amp;`, `&#8212;`, `&#x2014;` → UTF-8 and the index after `;`. Unknown names stay as written.
    static func entity(_ source: Bytes, at start: Int, limit: Int) -> ([UInt8], Int)? {
        var index = start + 1
        guard index < limit else { return nil }
        if source[index] == UInt8(ascii: "#") {
            var value: UInt32 = 0
            index += 1
            let hex = index < limit && source[index] | 0x20 == UInt8(ascii: "x")
            if hex { index += 1 }
            let digitsStart = index
            while index < limit && index - start <= 10 {
                let byte = source[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x61...0x66 where hex, 0x41...0x46 where hex: digit = UInt32(byte | 0x20) - 0x61 + 10
                case UInt8(ascii: ";") where index > digitsStart:
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    return (Array(String(Character(scalar)).utf8), index + 1)
                default: return nil
                }
                value = value &* (hex ? 16 : 10) &+ digit
                index += 1
            }
            return nil
        }
        // The name packed case-sensitively, 6 bits a character, as `entityKey` packs the table's names.
        var key: UInt64 = 0
        var lowered: UInt64 = 0
        while index < limit && index - start <= 10 {
            let byte = source[index]
            if byte == UInt8(ascii: ";") {
                guard index > start + 1, let decoded = namedEntityBytes[key] ?? namedEntityBytes[lowered] else { return nil }
                return (decoded, index + 1)
            }
            guard let value = entityValue(byte), let low = entityValue(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0)) else {
                return nil
            }
            key = key << 6 | value
            lowered = lowered << 6 | low
            index += 1
        }
        return nil
    }

    /// 1–26 lower-case letters, 27–52 upper-case, 53–62 digits; nil for anything else.
    @inline(__always)
    static func entityValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 0x61...0x7A: UInt64(byte - 0x61 + 1)
        case 0x41...0x5A: UInt64(byte - 0x41 + 27)
        case 0x30...0x39: UInt64(byte - 0x30 + 53)
        default: nil
        }
    }

    static func entityKey(_ name: String) -> UInt64 {
        name.utf8.reduce(0) { $0 << 6 | (entityValue($1) ?? 0) }
    }

    static let namedEntityBytes: [UInt64: [UInt8]] = Dictionary(
        uniqueKeysWithValues: namedEntities.map { (entityKey($0.key), Array($0.value.utf8)) })
}
