import Foundation
@testable import GoogleWorkspace
import StewardTesting
import Testing

/// The fake Gmail's behaviour that triage and the reply sender lean on, as Gmail documents it: a deleted
/// message answers 404 while the history still lists it as added, `sizeEstimate` is the message's real
/// size, a message can fail to be served on its own, and `drafts.get` shows a draft as edited in Gmail.
@Suite("Gmail: deleted, large and failing messages; drafts read back")
struct GmailFakeChangesTests {
    static let owner = GoogleHarness.owner

    @Test("a deleted message is still listed as added by history.list, and messages.get answers 404")
    func deletedMessage() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail(attempts: 1)
            let start = try await gmail.profile().historyId
            let gone = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent)
            await google.state.deleteMail(gone, in: Self.owner)
            let changes = try await gmail.history(since: start, labelID: "INBOX")
            #expect(changes.addedMessages.map(\.id) == [gone])
            await #expect(throws: GoogleError.notFound) { try await gmail.metadata(id: gone) }
            await #expect(throws: GoogleError.notFound) { try await gmail.rawMessage(id: gone) }
            #expect(await google.state.responseShapeProblems.isEmpty)
        }
    }

    @Test("sizeEstimate is the message's size; one message can fail while others are served")
    func sizeAndFailingFetches() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail(attempts: 1)
            let big = SampleMail.plain(from: "Dan <dan@example.com>", subject: "Logs", body: String(repeating: "x", count: 3_000_000))
            let id = try await google.state.addMail(to: Self.owner, raw: big)
            let other = try await google.state.addMail(to: Self.owner, raw: SampleMail.newsletter)
            #expect(try await gmail.metadata(id: id).sizeEstimate == big.utf8.count)
            await google.state.failFetches(of: id, in: Self.owner, count: 2)
            await #expect(throws: GoogleError.server) { try await gmail.metadata(id: id) }
            #expect(try await gmail.metadata(id: other).header("Subject") == "This week in compilers")
            await #expect(throws: GoogleError.server) { try await gmail.rawMessage(id: id) }
            #expect(try await gmail.rawMessage(id: id).raw.count == big.utf8.count, "served again after the injected failures")
        }
    }

    @Test("drafts.get returns the draft as it is now, also after it was edited in Gmail")
    func draftReadBack() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail(attempts: 1)
            let raw = SampleMail.plain(from: "ada@example.com", subject: "Plan", body: "First text.")
            let draft = try await gmail.createDraft(raw: Data(raw.utf8))
            #expect(try await gmail.draftMessage(id: draft.id).raw == Data(raw.utf8))
            let edited = SampleMail.plain(from: "ada@example.com", subject: "Plan", body: "Second text.")
            try await google.state.editDraft(draft.id, in: Self.owner, raw: edited)
            let now = try await gmail.draftMessage(id: draft.id)
            #expect(String(decoding: now.raw, as: UTF8.self).contains("Second text."))
            #expect(now.id != draft.message.id, "an edited draft holds a new message")
            #expect(await google.state.requests("gmail.users.drafts.get").last?.query("format") == "raw")
            try await gmail.deleteDraft(id: draft.id)
            await #expect(throws: GoogleError.notFound) { try await gmail.draftMessage(id: draft.id) }
            #expect(await google.state.responseShapeProblems.isEmpty)
        }
    }
}
