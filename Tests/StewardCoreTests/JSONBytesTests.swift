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
}
