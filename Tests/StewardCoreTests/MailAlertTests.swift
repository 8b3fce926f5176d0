import Foundation
import Testing
@testable import StewardCore

/// An urgent mail's alert carries Draft reply / Archive / Mute sender. Each is the owner's own stored
/// request: one tap does one thing once, the other buttons are retired, and nobody else's tap counts.
@Suite struct MailAlertTests {
    actor MailLog: TriageLog {
        var mails: [TriagedMail]
        init(_ mails: [TriagedMail]) { self.mails = mails }
        func record(_ mail: TriagedMail) -> Bool { mails.append(mail); return true }
        func markAlerted(accountID: Int64, messageID: String, at date: Date) {}
        func unalertedUrgent(accountID: Int64) -> [TriagedMail] { [] }
        func triagedMail(accountIDs: [Int64], since date: Date) -> [TriagedMail] {
            mails.filter { accountIDs.contains($0.accountID) && $0.receivedAt >= date }
        }
    }

    /// Keeps drafts the way a mailbox would: written, sent once, or deleted.
    actor Sender: MailSender {
        private(set) var drafts: [String: MailReplyArguments] = [:]
        private var written = 0
        private(set) var sent: [MailReplyArguments] = []
        private(set) var discarded: [String] = []
        private(set) var archived: [String] = []
        /// The other recipients of every mail, for "reply all".
        var otherRecipients = ["Ops <ops@acme.example>"]
        func draftReply(_ reply: MailReplyArguments, replyAll: Bool) -> MailReplyArguments {
            var reply = reply
            written += 1
            reply.draftID = "draft-\(written)"
            if replyAll { reply.cc = otherRecipients }
            drafts[reply.draftID!] = reply
            return reply
        }
        func sendReply(_ reply: MailReplyArguments) throws -> String {
            guard let id = reply.draftID, drafts.removeValue(forKey: id) != nil else { throw CalendarError("no such draft") }
            sent.append(reply)
            return "✓ Sent to \(reply.to)."
        }
        func discardReply(_ reply: MailReplyArguments) {
            if let id = reply.draftID, drafts.removeValue(forKey: id) != nil { discarded.append(id) }
        }
        func archive(account: Int64, messageID: String) { archived.append(messageID) }
    }

    static let mail = TriagedMail(accountID: 1, messageID: "m-77", from: "Dana Boss <Dana@Acme.example>",
                                  subject: "Contract by EOD", receivedAt: CoreWorld.now.addingTimeInterval(-600),
                                  category: .urgent, reason: "deadline \"EOD\"")

    /// The CoreWorld owner with a Gmail account, the mail log and a recording sender.
    static func world() -> (CoreWorld, Orchestrator, Sender) {
        let world = CoreWorld([])
        let sender = Sender()
        return (world, orchestrator(world, sender: sender), sender)
    }

    /// The world's orchestrator with a Gmail account whose mail it reads, sending through `sender`.
    static func orchestrator(_ world: CoreWorld, sender: Sender, replyWriter: (any ReplyWriter)? = nil,
                             clock: Date = CoreWorld.now) -> Orchestrator {
        let account = Account(id: 1, userID: 1, kind: "google", label: "Work", options: ["mail": "on"],
                              createdAt: CoreWorld.now)
        return world.orchestrator(calendars: FakeDirectory(entries: [(account, FakeCalendar(accountID: "google:1", events: []))]),
                                  clock: clock, mail: MailLog([mail]), mailSender: sender, replyWriter: replyWriter)
    }

    static func alert(_ world: CoreWorld, _ orchestrator: Orchestrator) async throws -> OutboundMessage {
        _ = await orchestrator.handle(InboundEvent(id: "hello", sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                   kind: .command(name: "start", arguments: ""), receivedAt: CoreWorld.now))
        return try await MailAlerts.card(for: mail, user: 1, chat: CoreWorld.dm, approvals: world.store,
                                         digest: orchestrator.digest, now: CoreWorld.now)
    }

    static func tap(_ orchestrator: Orchestrator, _ card: OutboundMessage, _ title: String,
                    as sender: ChatIdentity = CoreWorld.owner) async throws -> [KeyedDelivery] {
        let token = try #require(card.buttons.first { $0.title == title }?.token)
        return await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: sender, chat: CoreWorld.dm,
                                                      kind: .action(token: token), receivedAt: CoreWorld.now,
                                                      sourceMessageID: "alert-1", actionReceipt: "cb"))
    }

    @Test func theAlertHasThreeButtonsThatATypedApproveNeverPicks() async throws {
        let (world, orchestrator, sender) = Self.world()
        let card = try await Self.alert(world, orchestrator)
        #expect(card.title == "Urgent mail")
        #expect(card.text == "From: Dana Boss <Dana@Acme.example>\nSubject: Contract by EOD\nWhy: deadline \"EOD\"")
        #expect(card.buttons.map(\.title) == ["Draft reply", "Archive", "Mute sender", "Not urgent"])
        #expect(card.buttons.allSatisfy { $0.token.hasPrefix("s1:") && $0.token.hasSuffix(":a") && $0.token.utf8.count <= 64 })
        #expect(await world.store.pending(of: 1).count == 4)
        let typed = await orchestrator.handle(InboundEvent(id: "t", sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                           kind: .message("approve"), receivedAt: CoreWorld.now))
        #expect(typed.text.contains("Nothing is waiting for your approval."))
        #expect(await sender.archived.isEmpty)
        // The same mail alerted again (a restart) stores nothing new.
        _ = try await MailAlerts.card(for: Self.mail, user: 1, chat: CoreWorld.dm, approvals: world.store,
                                      digest: orchestrator.digest, now: CoreWorld.now)
        #expect(await world.store.pending(of: 1).count == 4)
    }

    @Test func muteAddsARuleOnceAndRetiresTheOtherButtons() async throws {
        let (world, orchestrator, sender) = Self.world()
        let card = try await Self.alert(world, orchestrator)
        let muted = try await Self.tap(orchestrator, card, "Mute sender")
        #expect(muted.text.contains("✓ Muted dana@acme.example"))
        #expect(await world.store.settings(of: 1).muted == ["dana@acme.example"])
        let archive = try await Self.tap(orchestrator, card, "Archive")
        #expect(archive.text.contains("Already done"))
        #expect(await sender.archived.isEmpty, "one tap per alert")
        #expect(MailTriage(settings: await world.store.settings(of: 1))
            .triage(MailMessage(id: "n", from: MailAddress(address: "dana@acme.example"), subject: "URGENT EOD")).category == .canWait)
    }

    @Test func notUrgentBecomesARuleThatKeepsTheSendersMailListedButNeverAlerted() async throws {
        let (world, orchestrator, sender) = Self.world()
        let card = try await Self.alert(world, orchestrator)
        let answer = try await Self.tap(orchestrator, card, "Not urgent")
        #expect(answer.text.contains("✓ Mail from dana@acme.example won't be alerted as urgent again"), "\(answer.text)")
        let settings = await world.store.settings(of: 1)
        #expect(settings.notUrgent == ["dana@acme.example"] && settings.muted.isEmpty)
        let next = MailTriage(settings: settings).triage(MailMessage(
            id: "n", from: MailAddress(name: "Dana", address: "Dana@Acme.example"), subject: "Contract by EOD today"))
        #expect(next.category == .fyi && next.rule == .notUrgentSender)
        #expect(next.reason.hasPrefix("you marked dana@acme.example as not urgent (deadline"), "\(next.reason)")
        #expect(try await Self.tap(orchestrator, card, "Archive").text.contains("Already done"))
        #expect(await sender.archived.isEmpty)
    }

    @Test func archiveRunsOnceAndOnlyForTheOwner() async throws {
        let (world, orchestrator, sender) = Self.world()
        let card = try await Self.alert(world, orchestrator)
        let stranger = try await Self.tap(orchestrator, card, "Archive", as: ChatIdentity(platform: .telegram, userID: "666"))
        #expect(!stranger.text.contains("Archived"))
        #expect(await sender.archived.isEmpty)
        let first = try await Self.tap(orchestrator, card, "Archive")
        #expect(first.messages.contains { $0.text.hasSuffix("✓ Archived.") && $0.buttons.isEmpty }, "the alert is edited")
        _ = try await Self.tap(orchestrator, card, "Archive")
        #expect(await sender.archived == ["m-77"])
    }

    @Test func draftReplyShowsAReplyCardAndSendsNothingUntilItsOwnApprove() async throws {
        let (world, orchestrator, sender) = Self.world()
        let card = try await Self.alert(world, orchestrator)
        let answer = try await Self.tap(orchestrator, card, "Draft reply")
        let replyCard = try #require(answer.messages.first { $0.title == "Send this reply?" })
        #expect(replyCard.text == "To: Dana Boss <Dana@Acme.example>\nCc: nobody\nSubject: Re: Contract by EOD\n\n"
                + DraftReplyOfferArguments.template)
        #expect(await sender.sent.isEmpty)
        let approve = try #require(replyCard.buttons.first { $0.title == "Approve" }?.token)
        _ = await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                   kind: .action(token: approve), receivedAt: CoreWorld.now,
                                                   sourceMessageID: "card-2", actionReceipt: "cb2"))
        #expect(await sender.sent.map(\.messageID) == ["m-77"])
    }
}
