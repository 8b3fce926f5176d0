import Foundation
import SlackAdapter
import Testing

/// Form bodies (slash commands, a tap's `payload`) decode as `removingPercentEncoding` after `+` → space did.
@Suite struct SlackFormTests {
    func foundation(_ part: String) -> String {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? part
    }

    @Test func fieldsDecodeAsFoundationDecodedThem() {
        let parts = ["plain", "a+b+c", "100%25+sure", "caf%C3%A9+%E2%98%95", "%2B1+555", "%7B%22type%22%3A%22block_actions%22%7D",
                     "bad%zz", "cut%4", "%", "not+utf8%C3%28", "%e2%82%ac", "%00nul", "", "émoji☕️+as+is"]
        for part in parts {
            #expect(SlackForm.parse("k=\(part)")["k"] == foundation(part), "\(part)")
        }
    }

    @Test func aSlashCommandsFieldsRoundTrip() {
        let fields = [("command", "/steward"), ("text", "free 30m with bob@x.com & \"Ann\" — 50% off/+1"), ("user_id", "U0ALICE"),
                      ("response_url", "https://hooks.slack.com/commands/T1/2/abc?x=1&y=2")]
        let parsed = SlackForm.parse(Data(SlackForm.encode(fields).utf8))
        for (name, value) in fields { #expect(parsed[name] == value) }
        #expect(SlackForm.parse("=nameless&flag&k=v") == ["flag": "", "k": "v"])
    }
}
