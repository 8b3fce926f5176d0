import Foundation
import Testing
@testable import StewardCore

/// A snippet stays a snippet whatever the mail holds.
@Suite struct MailSnippetTests {
    @Test func oneCharacterOfAMillionCombiningMarksGivesAShortSnippet() {
        let body = "a" + String(repeating: "\u{0301}", count: 1_000_000) + " rest"
        let snippet = MailMessage.makeSnippet(body)
        #expect(snippet.unicodeScalars.count <= 801, "\(snippet.utf8.count) bytes")
        #expect(snippet.unicodeScalars.starts(with: "a\u{0301}".unicodeScalars) && snippet.hasSuffix("…"))
        #expect(MailMessage(id: "m1", from: MailAddress(address: "x@example.com"), subject: "s", body: body)
                    .snippet.utf8.count <= 4 * 801)
    }

    @Test func ordinaryTextIsCutAtTwoHundredCharacters() {
        #expect(MailMessage.makeSnippet("Hello   there,\n\n  Ana") == "Hello there, Ana")
        let long = String(repeating: "é", count: 300)
        #expect(MailMessage.makeSnippet(long) == String(repeating: "é", count: 200) + "…")
    }
}
