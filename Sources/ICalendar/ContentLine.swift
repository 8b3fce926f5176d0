import Foundation

/// Why a file could not be read, with the (1-based, physical) line it happened on.
public struct ICalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// One unfolded content line, `NAME;PARAM=a,"b";OTHER=c:value`, as a view of the scanner's buffer.
///
/// Only the name is decoded up front: the value and parameters are decoded when asked for, so the many
/// properties Steward ignores (DTSTAMP, X-…, VALARM contents) cost no allocations. The view is valid only
/// inside the scanner's callback.
struct ContentLine {
    /// Upper-cased.
    let name: String
    /// Physical line the content line started on.
    let line: Int
    private let bytes: UnsafeBufferPointer<UInt8>
    private let nameEnd: Int
    private let colon: Int

    fileprivate init(name: String, line: Int, bytes: UnsafeBufferPointer<UInt8>, nameEnd: Int, colon: Int) {
        self.name = name
        self.line = line
        self.bytes = bytes
        self.nameEnd = nameEnd
        self.colon = colon
    }

    /// Raw (still escaped) value bytes.
    var valueBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]) }

    /// Raw (still escaped) value.
    var value: String { String(decoding: valueBytes, as: UTF8.self) }

    /// The first value of parameter `wanted` (upper-case name), quotes removed and RFC 6868 caret escapes
    /// (`^n`, `^^`, `^'`) decoded.
    func parameter(_ wanted: String) -> String? {
        var index = nameEnd
        while index < colon && bytes[index] == UInt8(ascii: ";") {
            index += 1
            let nameStart = index
            while index < colon && bytes[index] != UInt8(ascii: "=") { index += 1 }
            let matches = ContentLineScanner.equalsUppercase(bytes, nameStart..<index, wanted)
            index += 1 // past '='
            var first: Range<Int>?
            while index < colon {
                let valueRange: Range<Int>
                if bytes[index] == UInt8(ascii: "\"") {
                    let start = index + 1
                    index = start
                    while index < colon && bytes[index] != UInt8(ascii: "\"") { index += 1 }
                    valueRange = start..<index
                    index += 1
                } else {
                    let start = index
                    while index < colon && bytes[index] != UInt8(ascii: ",") && bytes[index] != UInt8(ascii: ";") {
                        index += 1
                    }
                    valueRange = start..<index
                }
                if first == nil { first = valueRange }
                guard index < colon, bytes[index] == UInt8(ascii: ",") else { break }
                index += 1
            }
            if matches, let first { return ContentLineScanner.decodeParameter(bytes, first) }
        }
        return nil
    }
}

/// Splits iCalendar bytes into unfolded content lines.
///
/// Works on UTF-8 bytes: a physical line ends at LF (a preceding CR is dropped); a line that starts with a
/// space or a tab continues the previous one, with that one character removed (RFC 5545 §3.1). Because
/// unfolding joins bytes, a writer that folded in the middle of a multi-byte character is still read
/// correctly. Blank lines are skipped.
struct ContentLineScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (ContentLine) throws -> Void) throws {
        var logical: [UInt8] = []
        logical.reserveCapacity(256)
        var logicalStartLine = 0
        var physicalLine = 0
        var index = 0
        let count = bytes.count
        // Skip a UTF-8 byte-order mark.
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }

        func emit() throws {
            try logical.withUnsafeBufferPointer { try body(try parse($0, line: logicalStartLine)) }
        }
        while index < count {
            physicalLine += 1
            let start = index
            while index < count && bytes[index] != 0x0A { index += 1 }
            var end = index
            index += 1 // past the LF
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end == start { continue }
            let first = bytes[start]
            if (first == 0x20 || first == 0x09) && !logical.isEmpty {
                logical.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]))
                continue
            }
            if !logical.isEmpty { try emit() }
            logical.removeAll(keepingCapacity: true)
            if first == 0x20 || first == 0x09 {
                // A continuation with nothing to continue: whitespace-only noise before the first line.
                if bytes[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                throw ICalendarError(line: physicalLine, "a folded continuation line with no line before it")
            }
            logical.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            logicalStartLine = physicalLine
        }
        if !logical.isEmpty { try emit() }
    }

    /// Checks `name *(";" param) ":" value` and finds its parts, without decoding anything but the name.
    /// Parameter values may be quoted, and then `:`, `;` and `,` inside them are literal.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, line: Int) throws -> ContentLine {
        let count = buffer.count
        var index = 0
        while index < count && isNameByte(buffer[index]) { index += 1 }
        guard index > 0 else {
            throw ICalendarError(line: line, "expected a property name, found \(preview(buffer))")
        }
        let nameEnd = index
        let name = upperASCII(buffer, 0..<nameEnd)
        while index < count && buffer[index] == UInt8(ascii: ";") {
            index += 1
            let nameStart = index
            while index < count && isNameByte(buffer[index]) { index += 1 }
            guard index > nameStart, index < count, buffer[index] == UInt8(ascii: "=") else {
                throw ICalendarError(line: line, "malformed parameter in \(name)")
            }
            index += 1
            while true {
                if index < count && buffer[index] == UInt8(ascii: "\"") {
                    index += 1
                    while index < count && buffer[index] != UInt8(ascii: "\"") { index += 1 }
                    guard index < count else {
                        throw ICalendarError(line: line, "unterminated quoted parameter value in \(name)")
                    }
                    index += 1
                } else {
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: ":") { break }
                        index += 1
                    }
                }
                guard index < count, buffer[index] == UInt8(ascii: ",") else { break }
                index += 1
            }
        }
        guard index < count, buffer[index] == UInt8(ascii: ":") else {
            throw ICalendarError(line: line, "expected ':' after \(name)")
        }
        return ContentLine(name: name, line: line, bytes: buffer, nameEnd: nameEnd, colon: index)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_") // not in the grammar, but some exporters use it in X- names
    }

    private static func upperASCII(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        guard slice.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return String(decoding: slice, as: UTF8.self) }
        return String(decoding: slice.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether `buffer[range]` is `upper` compared ASCII-case-insensitively.
    static func equalsUppercase(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ upper: String) -> Bool {
        guard range.count == upper.utf8.count else { return false }
        var index = range.lowerBound
        for expected in upper.utf8 {
            let byte = buffer[index]
            if (byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte) != expected { return false }
            index += 1
        }
        return true
    }

    static func decodeParameter(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        guard slice.contains(UInt8(ascii: "^")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        var caret = false
        for byte in slice {
            if caret {
                switch byte {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "'"): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "^"): out.append(UInt8(ascii: "^"))
                default: out.append(UInt8(ascii: "^")); out.append(byte)
                }
                caret = false
            } else if byte == UInt8(ascii: "^") {
                caret = true
            } else {
                out.append(byte)
            }
        }
        if caret { out.append(UInt8(ascii: "^")) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func preview(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[..<min(buffer.count, 30)]), as: UTF8.self)
        return "'\(text)'"
    }
}
