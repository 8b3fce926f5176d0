import Foundation
@testable import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardApp

/// What's approved is what's sent: before `drafts.send` Steward reads the draft back from the fake Gmail;
/// a draft changed in the mailbox after its card was shown is not sent, and a new card shows what it says
/// now, a recipient who never wrote to the owner marked "(new address)".
@Suite struct ApprovedDraftTests {
    struct Chat {
        let orchestrator: Orchestrator

        /// Everything Steward answers to a message from Ana, as text.
        func say(_ text: String) async -> [String] {
            let replies = await orchestrator.handle(InboundEvent(
                id: UUID().uuidString, sender: GmailWorld.owner, chat: ChatRef(platform: .telegram, chatID: "100", isPrivate: true),
                kind: .message(text), receivedAt: Date()))
            return replies.compactMap { delivery in
                if case .send(_, let message) = delivery.delivery { return message.plainText }
                return nil
            }
        }
    }

    static func chat(_ world: GmailWorld) -> Chat {
        let orchestrator = Orchestrator(users: world.store, approvals: world.store, audit: world.store,
                                        calendars: PlannerReadToolsTests.MailOnlyDirectory(account: world.account), status: nil,
                                        access: AccessPolicy(owners: [GmailWorld.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
                                        digest: sha256Hex, now: { Date() }, mail: world.store,
                                        mailSender: GmailReplySender(gmail: GmailAccess(google: world.google, store: world.store)))
        return Chat(orchestrator: orchestrator)
    }

    /// The boss's mail in Ana's inbox and in Steward's triage record (so "reply to 1" finds it).
    static func bossMail(_ world: GmailWorld) async throws {
        let id = try await world.deliver(from: "Boss <boss@example.com>", subject: "Need the board deck", body: "Can you send it?")
        _ = try await world.store.record(TriagedMail(accountID: world.account.id, messageID: id, from: "Boss <boss@example.com>",
                                                     subject: "Need the board deck", receivedAt: Date(), category: .needsReply,
                                                     reason: "test"))
    }

    @Test func aDraftChangedInGmailBeforeApproveIsNotSentAndANewCardShowsWhatItSaysNow() async throws {
        try await GmailWorld.run { world in
            try await Self.bossMail(world)
            let chat = Self.chat(world)
            let card = await chat.say("reply to 1 saying Sending it tonight.").joined(separator: "\n")
            #expect(card.contains("To: Boss <boss@example.com>\n") && card.contains("Sending it tonight."), "\(card)")
            #expect(!card.contains("(new address)"), "the boss wrote to Ana: a known address")
            let draftID = try #require(await world.state.draftIDs(in: GmailWorld.email).first)

            // Someone with access to the mailbox changes the draft between the card and Approve.
            try await world.state.editDraft(draftID, in: GmailWorld.email, raw: """
                From: ana@example.com\r
                To: Boss <boss@example.com>\r
                Cc: Mallory <mallory@evil.example>\r
                Subject: Re: Need the board deck\r
                Message-ID: <edited-1@example.com>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=UTF-8\r
                \r
                Sending it tonight. The finance login is in the attachment.\r

                """)
            let answer = await chat.say("approve").joined(separator: "\n")
            #expect(answer.contains("Nothing was sent"), "\(answer)")
            #expect(await world.state.requests("gmail.users.drafts.send").isEmpty)
            #expect(await world.state.sentMail(of: GmailWorld.email).isEmpty)
            #expect(answer.contains("It now says"), "a new card shows the draft as it is: \(answer)")
            #expect(answer.contains("Cc: Mallory <mallory@evil.example> (new address)"), "\(answer)")
            #expect(answer.contains("The finance login is in the attachment."))

            // Approving the new card sends exactly what it showed, once.
            let sent = await chat.say("approve").joined(separator: "\n")
            #expect(sent.contains("✓ Sent"), "\(sent)")
            let outgoing = await world.state.sentMail(of: GmailWorld.email)
            #expect(outgoing.count == 1)
            #expect(String(decoding: try #require(outgoing.first), as: UTF8.self).contains("The finance login"))
        }
    }

    @Test func anUnchangedDraftIsSentAfterReadingItBack() async throws {
        try await GmailWorld.run { world in
            try await Self.bossMail(world)
            let chat = Self.chat(world)
            _ = await chat.say("reply to 1 saying Sending it tonight.")
            let sent = await chat.say("approve").joined(separator: "\n")
            #expect(sent.contains("✓ Sent"), "\(sent)")
            #expect(await world.state.requests("gmail.users.drafts.get").count == 1, "read back before sending")
            #expect(await world.state.sentMail(of: GmailWorld.email).count == 1)
        }
    }

    @Test func replyingToA40MBMailReadsOnlyItsHeaders() async throws {
        try await GmailWorld.run { world in
            var attachment = Data("--b1\r\nContent-Type: application/octet-stream; name=\"video.bin\"\r\n\r\n".utf8)
            attachment += Data(repeating: UInt8(ascii: "A"), count: 40 * 1024 * 1024) + Data("\r\n--b1--\r\n".utf8)
            let huge = try await world.deliver(from: "Dan <dan@example.com>", subject: "The holiday video",
                                               body: "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n",
                                               contentType: "multipart/mixed; boundary=\"b1\"", extraBody: attachment)
            _ = try await world.store.record(TriagedMail(accountID: world.account.id, messageID: huge, from: "Dan <dan@example.com>",
                                                         subject: "The holiday video", receivedAt: Date(), category: .needsReply,
                                                         reason: "test"))
            let card = await Self.chat(world).say("reply to 1 saying Lovely, thanks!").joined(separator: "\n")
            #expect(card.contains("Subject: Re: The holiday video") && card.contains("Lovely, thanks!"), "\(card)")
            #expect(await world.fetches(of: huge, format: "raw") == 0)
            let draftID = try #require(await world.state.draftIDs(in: GmailWorld.email).first)
            let draft = String(decoding: try #require(await world.state.draftRaw(draftID, in: GmailWorld.email)), as: UTF8.self)
            #expect(draft.contains("In-Reply-To: <"), "threaded under the original: \(draft)")
        }
    }

    @Test func aNewMailToSomeoneWhoNeverWroteMarksThatAddressOnly() async throws {
        try await GmailWorld.run { world in
            try await Self.bossMail(world)
            let chat = Self.chat(world)
            let mail = MailReplyArguments(account: world.account.id, messageID: "", to: "boss@example.com, stranger@new.example",
                                          subject: "Board deck", body: "Here it is.", replyMessageID: "")
            let new = await chat.orchestrator.newAddresses(in: mail)
            #expect(new == ["stranger@new.example"])
            let text = mail.cardText(newAddresses: new)
            #expect(text.contains("To: boss@example.com, stranger@new.example (new address)"), "\(text)")
        }
    }
}
