import Foundation
@testable import GoogleWorkspace
import StewardTesting
import Testing

@Suite("Gmail: replies as drafts, sent exactly once; labels")
struct GmailDraftTests {
    static let owner = GoogleHarness.owner
    static let ada = GmailAddress(name: "Ada Lovelace", email: "ada@example.com")

    static func headerBlock(_ raw: Data) -> [String] {
        let text = String(decoding: raw, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
    }

    @Test("the built reply is well-formed RFC 5322: CRLF, ASCII headers, RFC 2047 words, threading headers")
    func builtReplyIsWellFormed() throws {
        let builder = GmailMessageBuilder.reply(
            from: Self.ada, to: [GmailAddress(name: "Jürgen Müller", email: "juergen@beispiel.example")],
            cc: [GmailAddress(name: "Smith, John", email: "john@x.example")],
            originalSubject: "Überprüfung der Rechnung für den Monat November und die Nachzahlung\r\nBcc: evil@attacker.example",
            originalMessageID: "<de-1@beispiel.example>", originalReferences: "<root@beispiel.example>",
            body: "Danke, Jürgen — erledigt.\nA line with = sign and trailing space \n" + String(repeating: "long ", count: 30),
            date: Date(timeIntervalSince1970: 1_795_000_000))
        let message = builder.build()
        let raw = message.raw
        let text = String(decoding: raw, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]

        #expect(!head.utf8.contains { $0 >= 0x80 })  // headers are 7-bit
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))  // CRLF only
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
        #expect(!head.contains("\r\nBcc:"))  // a subject from a mail cannot add a header
        #expect(head.contains("\r\nIn-Reply-To: <de-1@beispiel.example>"))
        #expect(head.contains("\r\nReferences: <root@beispiel.example> <de-1@beispiel.example>"))
        #expect(head.contains("\r\nMessage-ID: \(message.messageID)") && message.messageID.hasSuffix("@example.com>"))
        #expect(head.contains("MIME-Version: 1.0") && head.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(head.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(head.contains("Cc: \"Smith, John\" <john@x.example>"))
        #expect(head.contains("\r\nDate: Wed, 18 Nov 2026 11:06:40 +0000"))

        // Gmail (the fake decodes as Gmail shows headers) reads the words back to the original text.
        let fields = Dictionary(FakeRFC822Probe.headers(raw), uniquingKeysWith: { first, _ in first })
        #expect(fields["Subject"] == "Re: Überprüfung der Rechnung für den Monat November und die Nachzahlung Bcc: evil@attacker.example")
        #expect(fields["To"] == "Jürgen Müller <juergen@beispiel.example>")
        #expect(FakeRFC822Probe.body(raw).hasPrefix("Danke, Jürgen — erledigt.\r\nA line with = sign and trailing space \r\nlong long"))

        // "Re:" is not doubled.
        #expect(GmailMessageBuilder.reply(from: Self.ada, to: [Self.ada], originalSubject: "RE: Lunch", originalMessageID: nil,
                                          body: "ok").subject == "RE: Lunch")
    }

    @Test("draft → send goes out exactly once, in the original's thread; a second send is 'already sent'")
    func draftSendsOnce() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let original = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent)
            let meta = try await gmail.metadata(id: original, headers: ["Subject", "Message-ID", "References", "From"])
            let reply = GmailMessageBuilder.reply(from: Self.ada, to: [GmailAddress(name: "Grace Hopper", email: "grace@navy.example")],
                                                  originalSubject: meta.header("Subject") ?? "", originalMessageID: meta.header("Message-ID"),
                                                  originalReferences: meta.header("References"), body: "Signed, see attachment.")
                .build()
            let draft = try await gmail.createDraft(raw: reply.raw, threadID: meta.threadID)
            #expect(draft.message.threadId == meta.threadID)
            #expect(await google.state.mailLabels(of: draft.message.id, in: Self.owner) == ["DRAFT"])
            #expect(await google.state.rawMail(draft.message.id, in: Self.owner) == reply.raw)

            let outcome = try await gmail.sendDraftOnce(id: draft.id, messageID: reply.messageID)
            guard case .sent(let sent) = outcome else { Issue.record("expected a fresh send, got \(outcome)"); return }
            #expect(sent.id != draft.message.id)  // Gmail gives the sent message a new id
            #expect(sent.labelIds == ["SENT"] && sent.threadId == meta.threadID)
            #expect(await google.state.sendCount(ofDraft: draft.id, in: Self.owner) == 1)
            #expect(await google.state.draftCount(in: Self.owner) == 0)

            // Approve tapped twice: Gmail answers 404; the sent message is found instead of sending again.
            let again = try await gmail.sendDraftOnce(id: draft.id, messageID: reply.messageID)
            #expect(again == .alreadySent(GmailMessageRef(id: sent.id, threadId: meta.threadID)))
            #expect(await google.state.sendCount(ofDraft: draft.id, in: Self.owner) == 1)
            #expect(await google.state.sentMail(of: Self.owner) == [reply.raw])
            #expect(await google.state.responseShapeProblems.isEmpty)
        }
    }

    @Test("a send whose answer was lost is retried by the client and still sends once")
    func lostAnswerSendsOnce() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let message = GmailMessageBuilder(from: Self.ada, to: [GmailAddress(email: "bob@x.example")], subject: "Hello",
                                              body: "Hi Bob").build()
            let draft = try await gmail.createDraft(raw: message.raw)
            await google.state.loseResponses(1, of: "gmail.users.drafts.send", in: Self.owner)

            let outcome = try await gmail.sendDraftOnce(id: draft.id, messageID: message.messageID)
            guard case .alreadySent = outcome else { Issue.record("expected alreadySent, got \(outcome)"); return }
            #expect(await google.state.requests("gmail.users.drafts.send").map(\.status) == [503, 404])
            #expect(await google.state.sendCount(ofDraft: draft.id, in: Self.owner) == 1)
            #expect(await google.state.sentMail(of: Self.owner).count == 1)
        }
    }

    @Test("a deleted draft is never sent, and says so")
    func deletedDraft() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let message = GmailMessageBuilder(from: Self.ada, to: [GmailAddress(email: "bob@x.example")], subject: "Draft",
                                              body: "Never mind").build()
            let draft = try await gmail.createDraft(raw: message.raw)
            try await gmail.deleteDraft(id: draft.id)
            #expect(await google.state.draftCount(in: Self.owner) == 0)
            await #expect(throws: GmailError.draftNotFound(draft.id)) {
                try await gmail.sendDraftOnce(id: draft.id, messageID: message.messageID)
            }
            #expect(await google.state.sentMail(of: Self.owner).isEmpty)
            await #expect(throws: GoogleError.notFound) { try await gmail.deleteDraft(id: draft.id) }
        }
    }

    @Test("archive removes INBOX, mark read removes UNREAD, labels are added; unknown labels are refused")
    func modifyLabels() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let id = try await google.state.addMail(to: Self.owner, raw: SampleMail.newsletter)
            #expect(try await gmail.markRead(id: id).labelIds == ["INBOX"])
            #expect(try await gmail.archive(id: id).labelIds == [])
            #expect(await google.state.mailLabels(of: id, in: Self.owner) == [])
            #expect(try await gmail.addLabel("STARRED", to: id).labelIds == ["STARRED"])
            #expect(try await gmail.listAllMessages(query: "in:inbox").isEmpty)
            let modify = await google.state.requests("gmail.users.messages.modify")
            #expect(modify[1].body == ["removeLabelIds": ["INBOX"]])
            await #expect(throws: GoogleError.badRequest) { try await gmail.addLabel("Label_99", to: id) }
        }
    }
}

/// Reads a built message back the way Gmail shows it (decoded headers, decoded quoted-printable body).
enum FakeRFC822Probe {
    static func headers(_ raw: Data) -> [(String, String)] {
        let text = String(decoding: raw, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        return head.components(separatedBy: "\r\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), decodeWords(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    static func decodeWords(_ value: String) -> String {
        let joined = value.replacingOccurrences(of: "?= =?", with: "?==?")
        var result = ""
        var rest = Substring(joined)
        while let start = rest.range(of: "=?UTF-8?B?") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.range(of: "?=") else { break }
            result += Data(base64Encoded: String(after[..<end.lowerBound])).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            rest = after[end.upperBound...]
        }
        return result + rest
    }

    static func body(_ raw: Data) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        let encoded = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        let source = Array(encoded.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
               let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
