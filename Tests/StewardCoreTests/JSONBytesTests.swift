import Foundation
import StewardCore
import Testing

@Suite struct JSONBytesTests {
    /// Whatever the text — quotes, backslashes, every control character, slashes, emoji, a lone combining
    /// mark — the bytes parse back to exactly that text, and match what `JSONEncoder` writes.
    @Test func anyTextParsesBackToItselfAndMatchesTheEncoder() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let texts = ["", "plain", #"say "hi" \ there"#, controls, "a/b</script>", "Grüße 👋🏽 \u{301}", "\u{7f}\u{2028}"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        for text in texts {
            var bytes: [UInt8] = []
            JSONBytes.appendString(text, to: &bytes)
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
            #expect(parsed == text)
            let expected = try JSONSerialization.jsonObject(with: encoder.encode(text), options: .fragmentsAllowed) as? String
            #expect(parsed == expected)
        }
    }

    /// Random texts mixing plain runs with characters that need escapes, at the start, the end and side by
    /// side, appended after bytes already written: each parses back to itself, and what was there stays.
    @Test func randomMixesOfPlainAndEscapedTextRoundTrip() throws {
        let pieces: [String] = ["a", "plain run ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1f}", "/", "é", "👋🏽", "\u{7f}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var bytes = Array("[1,".utf8)
            JSONBytes.appendString(text, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [Any]
            #expect(parsed?.first as? Int == 1)
            #expect(parsed?.last as? String == text, "\(text.debugDescription)")
        }
    }
}
