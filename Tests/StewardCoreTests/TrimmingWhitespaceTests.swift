import Foundation
import StewardCore
import Testing

/// `trimmingWhitespace()` replaces Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` on the
/// message path: it must remove exactly what Foundation removes, and nothing inside.
@Suite struct TrimmingWhitespaceTests {
    @Test func removesWhatFoundationRemoves() {
        #expect("  /help  ".trimmingWhitespace() == "/help")
        #expect("".trimmingWhitespace() == "" && " \n\t\r\u{85}\u{A0}\u{3000}\u{2028}".trimmingWhitespace() == "")
        #expect("\u{2003}30m tomorrow\u{2029}".trimmingWhitespace() == "30m tomorrow")
        // A combining mark after a leading space is kept, as Foundation keeps it (the space alone goes).
        #expect(" \u{0301}a ".trimmingWhitespace() == "\u{0301}a")
        #expect("a \n b"[...].trimmingWhitespace() == "a \n b")
    }

    /// Every scalar up to U+10FFF, alone: the same answer as Foundation's.
    @Test func everyScalarAloneMatchesFoundation() {
        for scalar in (0...0x10FFF).compactMap(Unicode.Scalar.init) {
            let text = "\(scalar)"
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(String(scalar.value, radix: 16))")
        }
    }

    /// Random mixes of every kind of white space with text, emoji and combining marks, at both ends and
    /// inside: the same result as Foundation's.
    @Test func randomMixesMatchFoundation() {
        let pieces = [" ", "\t", "\n", "\r\n", "\u{85}", "\u{A0}", "\u{1680}", "\u{2009}", "\u{202F}", "\u{3000}",
                      "\u{2028}", "a", "/free", "é", "\u{0301}", "👋🏽", "\u{200B}", "\u{FEFF}", "x y", ""]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            let inner = text.dropFirst()
            #expect(inner.trimmingWhitespace() == inner.trimmingCharacters(in: .whitespacesAndNewlines), "\(inner.debugDescription)")
        }
    }
}
