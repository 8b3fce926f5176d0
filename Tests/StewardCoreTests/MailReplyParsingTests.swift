import Foundation
import StewardCore
import Testing

@Suite struct MailReplyParsingTests {
    let context = ParseContext(now: Date(timeIntervalSince1970: 1_795_424_400), timeZone: TimeZone(identifier: "Europe/Berlin")!)

    func parse(_ text: String) -> Intent { IntentParser().parse(.message(text), context: context) }

    @Test func theNumberAndTheExactWordsAreKept() {
        #expect(parse("reply to 2 saying Sure, I'll send it Tonight.") == .replyMail(number: 2, text: "Sure, I'll send it Tonight."))
        #expect(parse("Reply to #3: OK") == .replyMail(number: 3, text: "OK"))
        #expect(parse("reply to 12 with Thanks!") == .replyMail(number: 12, text: "Thanks!"))
        #expect(IntentParser().parse(.command(name: "reply", arguments: "4 On my way"), context: context)
                == .replyMail(number: 4, text: "On my way"))
    }

    @Test func aMissingNumberGetsTheUsageLineAndAMissingTextIsLeftToTheWriter() {
        #expect(parse("reply to 2") == .replyMail(number: 2, text: ""))
        guard case .usage = parse("reply to 0 saying hi") else { Issue.record("expected usage"); return }
        guard case .usage = IntentParser().parse(.command(name: "reply", arguments: ""), context: context) else {
            Issue.record("expected usage"); return
        }
        // Not a reply at all: ordinary text stays with the other parsers.
        if case .replyMail = parse("what did they reply to my 2pm invite") { Issue.record("not a reply") }
    }
}
