import StewardCore
import Testing

@Suite struct MarkupEscapingTests {
    @Test func everyMarkupCharacterIsEscapedEvenWithCombiningMarks() {
        #expect("Tom & Jerry <b>".escapingMarkupCharacters == "Tom &amp; Jerry &lt;b&gt;")
        // "<" + COMBINING LONG SOLIDUS OVERLAY is a single Character; the "<" must still be escaped.
        #expect("a <\u{0338} b".escapingMarkupCharacters == "a &lt;\u{0338} b")
        #expect(">\u{0301}&".escapingMarkupCharacters == "&gt;\u{0301}&amp;")
        #expect("plain ünïcödé 👋".escapingMarkupCharacters == "plain ünïcödé 👋")
    }

    /// Markup characters at the start, the end, side by side and between multi-byte text (the escaping copies
    /// the runs between them whole): each text comes out as a character-by-character replacement gives it.
    @Test func randomMixesEscapeAsReplacingEachMarkupCharacter() {
        let pieces = ["a", "plain run ", "&", "<", ">", "&amp;", "é", "👋🏽", "<\u{0338}", "\n", ""]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                default: String(scalar)
                }
            }.joined()
            #expect(text.escapingMarkupCharacters == expected, "\(text.debugDescription)")
        }
    }

    @Test func blankMeansNothingVisible() {
        // What Telegram and Slack refuse as empty: spaces, tabs, line breaks, no-break and ideographic spaces.
        #expect("".isBlank && " \n\t\r".isBlank && "\u{00A0}\u{3000}\u{2028}".isBlank)
        #expect(!" a ".isBlank && !"\n\n.".isBlank && !"👋".isBlank && !"&amp;".isBlank)
    }
}
