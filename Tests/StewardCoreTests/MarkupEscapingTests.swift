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
}
