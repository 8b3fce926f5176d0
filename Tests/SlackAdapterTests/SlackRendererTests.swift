import Foundation
@testable import SlackAdapter
import StewardCore
import Testing

@Suite struct SlackRendererTests {
    let renderer = SlackRenderer()

    @Test func textIsEscapedAndTheTitleBold() throws {
        let request = try renderer.postMessage(channel: "D1", message: OutboundMessage(title: "Lunch <&> you",
                                                                                       text: "<!channel> & <https://evil>"))
        #expect(request.text == "Lunch &lt;&amp;&gt; you\n&lt;!channel&gt; &amp; &lt;https://evil&gt;")
        #expect(request.blocks == [.section(.mrkdwn("*Lunch &lt;&amp;&gt; you*\n&lt;!channel&gt; &amp; &lt;https://evil&gt;"))])
    }

    @Test func buttonsBecomeAnActionsBlockWithStylesAndConfirm() throws {
        let message = OutboundMessage(title: "Send reply?", text: "To: bob@x.com", buttons: [
            Button(title: "Approve", token: "s1:ap-1:a", style: .primary),
            Button(title: "Reject", token: "s1:ap-1:r", style: .danger),
        ])
        let request = try renderer.postMessage(channel: "D1", message: message)
        let blocks = try #require(request.blocks)
        #expect(blocks.count == 2)
        #expect(blocks[0].type == "section")
        let buttons = try #require(blocks[1].elements)
        #expect(blocks[1].type == "actions")
        #expect(buttons.map(\.actionID) == ["s1:ap-1:a", "s1:ap-1:r"])
        #expect(buttons.map(\.value) == ["s1:ap-1:a", "s1:ap-1:r"])
        #expect(buttons.map(\.style) == ["primary", "danger"])
        #expect(buttons[0].confirm == nil)
        #expect(buttons[1].confirm?.confirm.text == "Reject")
        #expect(buttons.map(\.text) == [.plain("Approve"), .plain("Reject")])
        #expect(request.text == "Send reply?\nTo: bob@x.com")
        // The JSON has Slack's field names.
        let json = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        #expect(json.contains("\"action_id\""))
        #expect(json.contains("\"block_id\""))
    }

    @Test func anApproveThatCannotBeUndoneAsksFirst() throws {
        let message = OutboundMessage(title: "Cancel event?", text: "Standup, Mon 10:00–10:15", buttons: [
            Button(title: "Approve", token: "s1:ap-2:a", style: .primary, confirmation: "Delete “Standup” from your calendar?"),
            Button(title: "Reject", token: "s1:ap-2:r", style: .danger),
        ])
        let buttons = try #require(try renderer.postMessage(channel: "D1", message: message).blocks?.last?.elements)
        #expect(buttons[0].confirm?.text == .plain("Delete “Standup” from your calendar?"))
        #expect(buttons[0].confirm?.confirm.text == "Approve")
        #expect(buttons[0].style == "primary")
    }

    @Test func editReplacesEveryBlockAndAnswerActionSendsNothing() throws {
        let chat = ChatRef(platform: .slack, chatID: "D1", isPrivate: true)
        let outgoing = try renderer.outgoing(for: .edit(chat: chat, messageID: "1700.0001", message: OutboundMessage(text: "Approved: sent.")),
                                             channel: "D1")
        guard case .update(let update) = outgoing else { Issue.record("not an update"); return }
        #expect(update.ts == "1700.0001")
        #expect(update.blocks == [.section(.mrkdwn("Approved: sent."))])
        #expect(try renderer.outgoing(for: .answerAction(platform: .slack, receipt: "x", text: "ok"), channel: "D1") == nil)
        #expect(throws: SlackRenderer.RenderError.emptyMessage) { try renderer.postMessage(channel: "D1", message: OutboundMessage(text: "  ")) }
    }

    @Test func longTextIsSplitIntoSectionsWithinTheLimit() throws {
        let line = String(repeating: "a&b ", count: 100)  // 400 characters, 600 once escaped
        let text = Array(repeating: line, count: 30).joined(separator: "\n")
        let blocks = try renderer.blocks(OutboundMessage(text: text))
        #expect(blocks.count > 1)
        for block in blocks { #expect((block.text?.text.count ?? 0) <= SlackRenderer.maxSectionLength) }
        #expect(blocks.compactMap(\.text?.text).joined(separator: "\n") == SlackRenderer.escape(text))
    }
}

/// The renderer's own test for blank lines answers exactly what Foundation's `.whitespaces` does.
@Suite struct SlackRendererTrimmingTests {
    static let samples = ["", " ", "\t", "\n", "\r\n", " \t x \t ", "\u{A0}nbsp\u{A0}", "\u{2003}em\u{3000}", "\u{2028}ls\u{2029}",
                          "\u{85}nel\u{85}", "\u{B}vt\u{C}", "\u{200B}zwsp\u{200B}", "\u{FEFF}bom", " \u{301}accent ", "☕️ ",
                          "\r", "\u{1680}ogham", "a\n\nb", "  \n  ", "\u{202F}\u{205F}"]

    @Test func blankMatchesFoundation() {
        for text in Self.samples {
            #expect(SlackRenderer.isBlank(text) == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.unicodeScalars.map(\.value))")
        }
        for scalar in (0...0x10FFF).compactMap(Unicode.Scalar.init) {
            let text = "\(scalar)"
            #expect(SlackRenderer.isBlank(text) == text.trimmingCharacters(in: .whitespaces).isEmpty, "U+\(String(scalar.value, radix: 16))")
        }
    }
}
