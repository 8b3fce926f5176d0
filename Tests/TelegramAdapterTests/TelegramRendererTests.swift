import Foundation
import StewardCore
import StewardTesting
import Testing
@testable import TelegramAdapter

@Suite("TelegramRenderer: escaping, 4,096 splitting, buttons")
struct TelegramRendererTests {
    let renderer = TelegramRenderer()

    @Test func everythingIsEscapedAndOnlyTheTitleIsBold() throws {
        let message = OutboundMessage(title: "Lunch <with> Tom & Jerry", text: "<b>Tom & Jerry</b> at 12:00 > 11:00")
        let chunks = try renderer.chunks(of: message)
        #expect(chunks == ["<b>Lunch &lt;with&gt; Tom &amp; Jerry</b>\n&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; at 12:00 &gt; 11:00"])
        let parsed = try FakeTelegramHTML.parse(chunks[0]).get()
        #expect(parsed.text == "Lunch <with> Tom & Jerry\n<b>Tom & Jerry</b> at 12:00 > 11:00", "the user sees the literal text")
        #expect(parsed.entities.map(\.type) == ["bold"])
    }

    @Test func theFakeShowsEscapedTextLiterally() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let id = try await h.channel().deliver(.send(chat: People.aliceChat, message: .init(text: "<b>Tom & Jerry</b> &amp; <i>")))
            let sent = try #require(await h.state.sentMessages(chat: 1001).first)
            #expect(sent.text == "<b>Tom & Jerry</b> &amp; <i>")
            #expect(sent.entities.isEmpty)
            #expect(id == String(sent.messageID))
        }
    }

    @Test func longMessagesSplitOnLineBoundariesWithButtonsOnTheLast() async throws {
        let lines = (1...400).map { "Line \($0): " + String(repeating: "a&b ", count: Int.random(in: 1...12)) }
        let text = lines.joined(separator: "\n")
        let buttons = [Button(title: "Approve", token: "s1:abc:a"), Button(title: "Reject", token: "s1:abc:r")]
        let requests = try renderer.sendRequests(chatID: 1001, message: .init(title: "Report", text: text, buttons: buttons))
        #expect(requests.count > 1)
        for request in requests {
            #expect(request.text.utf16.count <= 4096)
            #expect(request.parseMode == "HTML")
        }
        #expect(requests.dropLast().allSatisfy { $0.replyMarkup == nil })
        #expect(requests.last?.replyMarkup?.inlineKeyboard.first?.map(\.callbackData) == ["s1:abc:a", "s1:abc:r"])
        let shown = try requests.map { try FakeTelegramHTML.parse($0.text).get().text }
        #expect(shown.joined(separator: "\n") == "Report\n" + text, "nothing lost, nothing reordered, lines intact")

        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let lastID = try await h.channel().deliver(.send(chat: People.aliceChat,
                                                             message: .init(title: "Report", text: text, buttons: buttons)))
            let sent = await h.state.sentMessages(chat: 1001)
            #expect(sent.count == requests.count, "the fake accepted every chunk")
            #expect(sent.last?.buttons.first?.count == 2)
            #expect(sent.dropLast().allSatisfy { $0.buttons.isEmpty })
            #expect(lastID == sent.last.map { String($0.messageID) })
        }
    }

    @Test func aSingleOverlongLineIsCutBetweenCharactersNeverInsideAnEscape() throws {
        let line = String(repeating: "Tom & Jerry <3 😀 ", count: 900)
        let chunks = try renderer.chunks(of: .init(text: line))
        #expect(chunks.count >= 3)
        var shown = ""
        for chunk in chunks {
            #expect(chunk.utf16.count <= 4096)
            shown += try FakeTelegramHTML.parse(chunk).get().text  // every chunk is valid HTML on its own
        }
        #expect(shown == line)
    }

    @Test func countsUTF16UnitsAsTelegramDoes() throws {
        let emoji = String(repeating: "😀", count: 3000)  // 3,000 characters, 6,000 UTF-16 units
        let chunks = try renderer.chunks(of: .init(text: emoji))
        #expect(chunks.count == 2)
        #expect(chunks.allSatisfy { $0.utf16.count <= 4096 })
        #expect(chunks.joined() == emoji)
    }

    @Test func anOverlongTitleStaysBoldInEveryPiece() throws {
        let chunks = try TelegramRenderer(maxLength: 40).chunks(of: .init(title: String(repeating: "T", count: 70), text: "body"))
        for chunk in chunks {
            #expect(chunk.utf16.count <= 40)
            #expect(try FakeTelegramHTML.parse(chunk).get().text.isEmpty == false)
        }
        #expect(chunks.first?.hasPrefix("<b>") == true)
    }

    @Test func buttonTokensOver64BytesAreRefused() {
        let token = "s1:" + String(repeating: "x", count: 60) + ":a"
        #expect(throws: TelegramRenderer.RenderError.buttonTokenTooLong(token)) {
            try renderer.keyboard(for: [Button(title: "Approve", token: token)])
        }
        #expect(throws: TelegramRenderer.RenderError.emptyMessage) { try renderer.chunks(of: .init(text: "\n \n")) }
    }

    @Test func threeButtonsShareARowAndAnAlertsFourTakeTwoRows() throws {
        let buttons = ["Draft reply", "Archive", "Mute sender", "Not urgent"].enumerated().map {
            Button(title: $0.element, token: "s1:abc\($0.offset):a")
        }
        let three = try #require(try renderer.keyboard(for: Array(buttons.prefix(3))))
        #expect(three.inlineKeyboard.map { $0.map(\.text) } == [["Draft reply", "Archive", "Mute sender"]])
        let four = try #require(try renderer.keyboard(for: buttons))
        #expect(four.inlineKeyboard.map { $0.map(\.text) } == [["Draft reply", "Archive"], ["Mute sender", "Not urgent"]])
    }

    @Test func editsRemoveButtonsWithAnEmptyKeyboardAndKeepOneMessage() throws {
        let edit = try renderer.editRequest(chatID: 1001, messageID: 7, message: .init(title: "Lunch", text: "Approved ✓"))
        #expect(edit.replyMarkup == InlineKeyboardMarkup(inlineKeyboard: []))
        #expect(edit.text == "<b>Lunch</b>\nApproved ✓")
        let long = try renderer.editRequest(chatID: 1001, messageID: 7,
                                            message: .init(text: String(repeating: "line\n", count: 2000)))
        #expect(long.text.utf16.count <= 4096)
        #expect(long.text.hasSuffix("…"))
    }

    @Test func callbackAnswersAreCutTo200Characters() {
        let answer = renderer.answerRequest(receipt: "q1", text: String(repeating: "é", count: 500))
        #expect(answer.text?.utf16.count == 200)
        #expect(answer.callbackQueryID == "q1")
    }
}
