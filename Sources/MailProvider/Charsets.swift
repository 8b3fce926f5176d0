import Foundation

/// Bytes in a declared charset → text. Unknown or lying charsets never fail: invalid UTF-8 is read as
/// Windows-1252 (the usual truth behind a wrong "us-ascii" label), anything else undecodable as lossy UTF-8.
public enum Charsets {
    public static func decode(_ bytes: [UInt8], charset rawName: String) -> String {
        let name = canonicalName(rawName)
        switch name {
        case "utf-8", "us-ascii", "":
            if let text = ASCII.validUTF8(bytes) { return text }
            return decodeSingleByte(bytes, upperHalf: SingleByteCharsets.upperHalves["windows-1252"]!)
        case "iso-8859-1":
            return decodeSingleByte(bytes, upperHalf: latin1UpperHalf)
        default:
            if let upperHalf = SingleByteCharsets.upperHalves[name] {
                return decodeSingleByte(bytes, upperHalf: upperHalf)
            }
            if let encoding = foundationEncoding(name), let text = String(data: Data(bytes), encoding: encoding) {
                return text
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static let latin1UpperHalf: [UInt16] = (0x80...0xFF).map { UInt16($0) }

    /// Straight to UTF-8, which Strings hold natively: going through UTF-16 costs ~50 ms a megabyte on Linux.
    static func decodeSingleByte(_ bytes: [UInt8], upperHalf: [UInt16]) -> String {
        var utf8 = [UInt8]()
        utf8.reserveCapacity(bytes.count + bytes.count / 2)
        upperHalf.withUnsafeBufferPointer { table in
            for byte in bytes {
                guard byte >= 0x80 else {
                    utf8.append(byte)
                    continue
                }
                let unit = table[Int(byte) - 0x80]
                if unit < 0x80 {
                    utf8.append(UInt8(unit))
                } else if unit < 0x800 {
                    utf8.append(0xC0 | UInt8(unit >> 6))
                    utf8.append(0x80 | UInt8(unit & 0x3F))
                } else {
                    // The tables hold BMP characters only (a stray surrogate would be repaired to U+FFFD below).
                    utf8.append(0xE0 | UInt8(unit >> 12))
                    utf8.append(0x80 | UInt8((unit >> 6) & 0x3F))
                    utf8.append(0x80 | UInt8(unit & 0x3F))
                }
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// `"ISO_8859-1"`, `latin1`, `cp1251`, `UTF8` → the names the tables use.
    static func canonicalName(_ raw: String) -> String {
        // Charset names are short (RFC 2978 registers none over 40 characters); a long one names nothing.
        guard raw.utf8.count <= 64 else { return "x-unknown" }
        var name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"' \t")).lowercased()
            .replacingOccurrences(of: "_", with: "-")
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }  // RFC 2231 language suffix
        switch name {
        case "utf8", "unicode-1-1-utf-8": return "utf-8"
        case "ascii", "ansi-x3.4-1968", "646", "us": return "us-ascii"
        case "latin1", "latin-1", "l1", "iso8859-1", "iso-8859-1:1987", "iso-ir-100", "cp819": return "iso-8859-1"
        case "latin2", "l2": return "iso-8859-2"
        case "latin-9", "latin9": return "iso-8859-15"
        case "koi8r": return "koi8-r"
        case "koi8u": return "koi8-u"
        default: break
        }
        if name.hasPrefix("iso8859-") { return "iso-" + name.dropFirst(3) }
        if name.hasPrefix("cp125") || name.hasPrefix("win125") {
            return "windows-" + name.drop { !$0.isNumber }
        }
        if name.hasPrefix("x-cp125") { return "windows-" + name.dropFirst(4) }
        return name
    }

    /// Multi-byte charsets Foundation decodes on every platform Steward runs on.
    static func foundationEncoding(_ name: String) -> String.Encoding? {
        switch name {
        case "shift-jis", "shift-jis-2004", "sjis", "x-sjis", "cp932", "windows-31j", "ms-kanji": .shiftJIS
        case "iso-2022-jp", "csiso2022jp": .iso2022JP
        case "euc-jp", "x-euc-jp": .japaneseEUC
        case "utf-16": .utf16
        case "utf-16le": .utf16LittleEndian
        case "utf-16be": .utf16BigEndian
        case "utf-32": .utf32
        default: nil
        }
    }
}
