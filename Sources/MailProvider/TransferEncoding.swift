import Foundation

/// Content-Transfer-Encoding decoders (RFC 2045 §6) and Gmail's base64url. Each accepts damaged input:
/// characters outside the alphabet are skipped and a truncated quantum is dropped, never trapped on.
public enum TransferEncoding {
    static let base64Values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = Int8(value)
        }
        // base64url's two letters too, so one decoder serves Gmail's `raw` and MIME bodies alike.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes base64 or base64url, skipping line breaks and anything else outside the alphabet.
    public static func base64Decode(_ input: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var count = 0
        base64Values.withUnsafeBufferPointer { table in
            for byte in input {
                if byte == UInt8(ascii: "=") { break }
                let value = table[Int(byte)]
                if value < 0 { continue }
                accumulator = accumulator << 6 | UInt32(value)
                count += 1
                if count == 4 {
                    output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                    output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                    output.append(UInt8(truncatingIfNeeded: accumulator))
                    accumulator = 0
                    count = 0
                }
            }
        }
        // A final partial quantum: 2 symbols carry one byte, 3 carry two.
        if count == 2 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        } else if count == 3 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        }
        return output
    }

    /// Gmail's `raw` field (RFC 4648 §5 base64url, padding optional) → message bytes.
    public static func base64URLDecode(_ text: String) -> Data {
        Data(base64Decode(text.utf8))
    }

    /// Message bytes → base64url without padding, as Gmail's `messages.send` and `drafts.create` take them.
    public static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` escapes, `=` at a line end is a soft break; a malformed
    /// escape is kept literally.
    public static func quotedPrintableDecode(_ input: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(input)
        // Decoding only shrinks, so the output fits in the input's size; unsafe buffers because this loop
        // touches every byte of every text part.
        return bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, written in
                var index = 0, out = 0
                let count = source.count
                while index < count {
                    let byte = source[index]
                    guard byte == ASCII.equals else {
                        target[out] = byte
                        out += 1
                        index += 1
                        continue
                    }
                    if index + 2 < count, let high = hexValue(source[index + 1]), let low = hexValue(source[index + 2]) {
                        target[out] = high << 4 | low
                        out += 1
                        index += 3
                        continue
                    }
                    // Soft line break, allowing the trailing spaces some encoders leave before the break.
                    var next = index + 1
                    while next < count && (source[next] == ASCII.space || source[next] == ASCII.tab) { next += 1 }
                    if next < count && source[next] == ASCII.cr { next += 1 }
                    if next < count && source[next] == ASCII.lf {
                        index = next + 1
                    } else if next >= count {
                        index = next
                    } else {
                        target[out] = byte
                        out += 1
                        index += 1
                    }
                }
                written = out
            }
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
