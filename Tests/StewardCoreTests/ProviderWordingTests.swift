import Foundation
import Testing
@testable import StewardCore

/// Core names no mail provider: how to connect mail comes from the registered account kinds, and where a
/// draft is kept from the mail sender.
@Suite struct ProviderWordingTests {
    /// "reply to 2 saying …" with no mail connected, on a server that registered `kinds`.
    static func replyWithoutMail(kinds: AccountKinds) async -> String {
        let store = MemoryStore()
        let orchestrator = Orchestrator(
            users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: []), status: nil,
            access: AccessPolicy(owners: [CoreWorld.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
            digest: { String($0.count) }, now: { CoreWorld.now }, accountKinds: kinds)
        let event = InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                 kind: .message("reply to 2 saying thanks"), receivedAt: CoreWorld.now)
        return await orchestrator.handle(event).text
    }

    @Test func aReplyWithoutMailNamesTheRegisteredMailKindToConnect() async {
        let post = AccountKind(name: "post", features: [.mail], linkPurpose: "read your mail", addsTo: "Work")
        #expect(await Self.replyWithoutMail(kinds: AccountKinds([post])) == "Mail isn't connected yet: send /connect post first.")
        let gmail = AccountKind(name: "gmail", features: [.mail], linkPurpose: "triage your Gmail", addsTo: "Google")
        #expect(await Self.replyWithoutMail(kinds: AccountKinds([gmail])) == "Mail isn't connected yet: send /connect gmail first.")
        // Nothing registered adds mail from chat: no command is suggested.
        #expect(await Self.replyWithoutMail(kinds: AccountKinds()) == "Mail isn't connected yet.")
    }

    @Test func aChangedDraftIsPlacedInTheSendersMailbox() {
        let reply = MailReplyArguments(account: 1, messageID: "m", to: "a@x.com", subject: "Re: Hi", body: "ok",
                                       replyMessageID: "")
        #expect(MailDraftChanged(now: reply, mailbox: "Fastmail").description
                == "the draft in Fastmail was changed after the card was shown, so it no longer says what you approved")
        #expect(MailDraftChanged(now: reply).description.hasPrefix("the draft in your mailbox was changed"))
    }

    /// `/connect`'s usage line and summary (in /help and the platforms' menus) come from the registration.
    @Test func connectIsWordedByTheRegisteredKinds() {
        let standardLike = AccountKinds([
            AccountKind(name: "google", features: [.calendar], linkPurpose: "read your calendar", displayName: "Google"),
            AccountKind(name: "gmail", features: [.mail], linkPurpose: "triage your mail", addsTo: "Google", displayName: "Gmail"),
            AccountKind(name: "caldav", features: [.calendar]),
        ])
        let connect = ChatCommand.catalogue(for: standardLike).first { $0.name == "connect" }
        #expect(connect?.usage == "/connect google|gmail")
        #expect(connect?.summary == "Connect a Google calendar, or add its Gmail")
        let outlook = AccountKind(name: "outlook", features: [.calendar, .mail], linkPurpose: "read it", displayName: "Outlook")
        let other = ChatCommand.catalogue(for: AccountKinds([outlook])).first { $0.name == "connect" }
        #expect(other?.usage == "/connect outlook")
        #expect(other?.summary == "Connect an Outlook calendar")
        // The catalogue itself names no provider.
        #expect(ChatCommand.all.allSatisfy { !"\($0.usage) \($0.summary)".lowercased().contains("google") })
    }
}
