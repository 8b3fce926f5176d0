import Foundation
import MatrixAdapter
import StewardCore
import Testing

private func object(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite struct MatrixRendererTests {
    let renderer = MatrixRenderer()

    @Test func textIsANoticeWithEscapedHTMLAndAPlainBody() throws {
        let message = OutboundMessage(title: "Tomorrow <b>", text: "10:00 <script>alert(1)</script> & more")
        let content = try object(try #require(renderer.contents(for: message).first))
        #expect(content["msgtype"] as? String == "m.notice")
        #expect(content["body"] as? String == "Tomorrow <b>\n10:00 <script>alert(1)</script> & more")
        #expect(content["format"] as? String == "org.matrix.custom.html")
        #expect(content["formatted_body"] as? String
                == "<b>Tomorrow &lt;b&gt;</b><br>10:00 &lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
    }

    /// Whatever an email or calendar entry says reaches the room as it was: quotes, backslashes, tabs,
    /// control characters, slashes and emoji survive the trip through the event's JSON.
    @Test func anyTextArrivesIntactThroughTheEventsJSON() throws {
        let text = "She said \"hi\" \\ C:\\path\tcol\u{01}\u{1F} a/b </b> \r\nnext 🎉 é"
        let data = try #require(try renderer.contents(for: OutboundMessage(text: text)).first)
        let content = try object(data)
        #expect(content["body"] as? String == text)
        #expect(content["formatted_body"] as? String
                == "She said \"hi\" \\ C:\\path\tcol\u{01}\u{1F} a/b &lt;/b&gt; \r<br>next 🎉 é")
        #expect(!String(decoding: data, as: UTF8.self).contains("\\/"))
    }

    @Test func aCardSaysHowToDecideAndMapsEachChoiceToAnEmoji() throws {
        let buttons = [Button(title: "Approve", token: "s1:ab12:a"), Button(title: "Reject", token: "s1:ab12:r")]
        let content = try object(try #require(renderer.contents(for: OutboundMessage(title: "Add this event?", text: "Dentist",
                                                                                    buttons: buttons)).last))
        #expect((content["body"] as? String)?.hasSuffix("React ✅ to approve, ❌ to reject (or reply !approve ab12)") == true)
        #expect(renderer.choices(for: buttons).map(\.emoji) == ["✅", "❌"])
    }

    @Test func aCardWithMoreChoicesListsOneEmojiPerChoice() {
        let buttons = [Button(title: "Approve", token: "s1:ab12:a"), Button(title: "Approve, don't notify", token: "s1:ab12q:a"),
                       Button(title: "Reject", token: "s1:ab12:r")]
        let choices = renderer.choices(for: buttons)
        #expect(choices.map(\.emoji) == ["✅", "🔕", "❌"])
        #expect(renderer.decisionLine(for: choices)
                == "React ✅ Approve, 🔕 Approve, don't notify, ❌ Reject (or reply !approve ab12)")
    }

    @Test func thumbsCountAsYesAndNo() {
        #expect(MatrixRenderer.canonical("👍") == "✅")
        #expect(MatrixRenderer.canonical("👍🏽") == "✅")
        #expect(MatrixRenderer.canonical("👎") == "❌")
        #expect(MatrixRenderer.canonical("✅") == "✅")
        #expect(MatrixRenderer.canonical("🎉") == "🎉")
    }

    @Test func aLongMessageIsCutAtLineEndsAndLosesNothing() throws {
        let lines = (1...400).map { "Line \($0) of a long agenda" }
        let small = MatrixRenderer(maxLength: 500)
        let chunks = try small.contents(for: OutboundMessage(text: lines.joined(separator: "\n"))).map { try object($0) }
        #expect(chunks.count > 1)
        let bodies = chunks.compactMap { $0["body"] as? String }
        #expect(bodies.allSatisfy { $0.count <= 500 })
        #expect(bodies.joined(separator: "\n") == lines.joined(separator: "\n"))
    }

    @Test func anEditReplacesTheCardAndDropsTheDecisionLine() throws {
        let content = try object(renderer.editContent(of: "$card", message: OutboundMessage(title: "Add this event?", text: "Dentist\n\nAdded.")))
        let relation = try #require(content["m.relates_to"] as? [String: Any])
        #expect(relation["rel_type"] as? String == "m.replace")
        #expect(relation["event_id"] as? String == "$card")
        let new = try #require(content["m.new_content"] as? [String: Any])
        #expect(new["body"] as? String == "Add this event?\nDentist\n\nAdded.")
        #expect((content["body"] as? String)?.hasPrefix("* ") == true)
    }

    @Test func transactionIDsFollowTheOutboxKey() {
        #expect(MatrixDeliveryChannel.transactionID(for: "evt#0") == MatrixDeliveryChannel.transactionID(for: "evt#0"))
        #expect(MatrixDeliveryChannel.transactionID(for: "evt#0") != MatrixDeliveryChannel.transactionID(for: "evt#1"))
        // Pinned: an id that changed across versions would post a message again when an upgrade resends it.
        // ("st" and the first 16 bytes of SHA-256("evt#0") in lowercase hex.)
        #expect(MatrixDeliveryChannel.transactionID(for: "evt#0") == "stdbb006646b1ea8b4aa97bc2f59dbb214")
    }
}

@Suite struct MatrixNormalizerTests {
    let normalizer = MatrixNormalizer(botUserID: "@steward:localhost")

    func text(_ body: String, from sender: String = "@ana:localhost", msgtype: String = "m.text") -> MatrixEvent {
        MatrixEvent(type: "m.room.message", eventID: "$e1", sender: sender, content: .init(msgtype: msgtype, body: body))
    }

    @Test func bangAndSlashAreCommandsEverywhere() {
        for body in ["!today", "/today"] {
            let event = normalizer.normalize(text(body), roomID: "!group:localhost", isDirect: false)
            #expect(event?.kind == .command(name: "today", arguments: ""))
            #expect(event?.id == "matrix:event:$e1")
            #expect(event?.sender.description == "matrix:@ana:localhost")
        }
        #expect(normalizer.normalize(text("!BOOK Dentist tomorrow"), roomID: "!r", isDirect: true)?.kind
                == .command(name: "book", arguments: "Dentist tomorrow"))
    }

    @Test func inARoomOnlyMentionsCountAndTheMentionIsRemoved() {
        #expect(normalizer.normalize(text("lunch anyone?"), roomID: "!group", isDirect: false) == nil)
        let mentioned = normalizer.normalize(text("steward: what's on tomorrow"), roomID: "!group", isDirect: false)
        #expect(mentioned?.kind == .message("what's on tomorrow"))
        #expect(mentioned?.chat.isPrivate == false)
        #expect(normalizer.normalize(text("what's on tomorrow"), roomID: "!dm", isDirect: true)?.kind == .message("what's on tomorrow"))
    }

    @Test func ownEventsNoticesAndEditsAreIgnored() {
        #expect(normalizer.normalize(text("/today", from: "@steward:localhost"), roomID: "!dm", isDirect: true) == nil)
        #expect(normalizer.normalize(text("/today", msgtype: "m.notice"), roomID: "!dm", isDirect: true) == nil)
        let edit = try? JSONDecoder().decode(MatrixEvent.self, from: Data("""
            {"type":"m.room.message","event_id":"$e2","sender":"@ana:localhost","content":{"msgtype":"m.text","body":"* /today",
             "m.new_content":{"msgtype":"m.text","body":"/today"},"m.relates_to":{"rel_type":"m.replace","event_id":"$e1"}}}
            """.utf8))
        #expect(edit.flatMap { normalizer.normalize($0, roomID: "!dm", isDirect: true) } == nil)
    }

    @Test func aReactionOnACardIsItsChoiceAndOnAnythingElseNothing() throws {
        let reaction = try JSONDecoder().decode(MatrixEvent.self, from: Data("""
            {"type":"m.reaction","event_id":"$r1","sender":"@ana:localhost",
             "content":{"m.relates_to":{"rel_type":"m.annotation","event_id":"$card","key":"👍"}}}
            """.utf8))
        let event = normalizer.normalize(reaction, roomID: "!dm", isDirect: true, cardChoices: ["✅": "s1:ab12:a", "❌": "s1:ab12:r"])
        #expect(event?.kind == .action(token: "s1:ab12:a"))
        #expect(event?.sourceMessageID == "$card")
        #expect(normalizer.normalize(reaction, roomID: "!dm", isDirect: true, cardChoices: nil) == nil)
        #expect(normalizer.normalize(reaction, roomID: "!dm", isDirect: true, cardChoices: ["🔕": "s1:x:a"]) == nil)
    }

    @Test func aFieldOfTheWrongTypeCostsOnlyThatField() throws {
        let odd = try JSONDecoder().decode(MatrixEvent.self, from: Data("""
            {"type":"m.room.message","event_id":"$e3","sender":"@ana:localhost","content":{"msgtype":"m.text","body":"/help",
             "m.mentions":"everyone","m.relates_to":42}}
            """.utf8))
        #expect(normalizer.normalize(odd, roomID: "!dm", isDirect: true)?.kind == .command(name: "help", arguments: ""))
    }
}
