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

    @Test func blankMeansNothingVisible() {
        // What Telegram and Slack refuse as empty: spaces, tabs, line breaks, no-break and ideographic spaces.
        #expect("".isBlank && " \n\t\r".isBlank && "\u{00A0}\u{3000}\u{2028}".isBlank)
        #expect(!" a ".isBlank && !"\n\n.".isBlank && !"👋".isBlank && !"&amp;".isBlank)
    }
}
