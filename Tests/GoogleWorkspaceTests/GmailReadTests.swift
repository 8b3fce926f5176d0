import Foundation
@testable import GoogleWorkspace
import StewardTesting
import Testing

@Suite("Gmail: reading mail and new-mail detection")
struct GmailReadTests {
    static let owner = GoogleHarness.owner

    @Test("messages.list follows pages and filters by Gmail query syntax and labels")
    func listPagingAndQuery() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let now = await google.state.now
            var unreadInbox: [String] = []
            for index in 0..<7 {
                unreadInbox.append(try await google.state.addMail(
                    to: Self.owner, raw: SampleMail.plain(from: "Colleague \(index) <c\(index)@work.example>", subject: "Item \(index)"),
                    receivedAt: now.addingTimeInterval(Double(index - 10) * 60)))
            }
            let read = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent, labels: ["INBOX"])
            let promo = try await google.state.addMail(to: Self.owner, raw: SampleMail.newsletter,
                                                       labels: ["INBOX", "UNREAD", "CATEGORY_PROMOTIONS"])
            let old = try await google.state.addMail(to: Self.owner, raw: SampleMail.plain(from: "x@old.example", subject: "Old"),
                                                     receivedAt: now.addingTimeInterval(-10 * 86_400))
            _ = try await google.state.addMail(to: Self.owner, raw: SampleMail.plain(from: "spammer@junk.example", subject: "Win"),
                                               labels: ["SPAM", "UNREAD"])

            // Three pages of three, newest first, every message once; spam left out as Gmail does.
            let first = try await gmail.listMessages(maxResults: 3)
            #expect(first.messages.count == 3 && first.nextPageToken != nil)
            let all = try await gmail.listAllMessages(limit: 100, pageSize: 3)
            #expect(all.count == 10)
            #expect(await google.state.requests("gmail.users.messages.list").map { $0.query("maxResults") }.suffix(4)
                == ["3", "3", "3", "3"])
            #expect(Set(all.map(\.id)).count == 10)
            #expect(all.last?.id == old)
            #expect(await google.state.requests("gmail.users.messages.list").filter { $0.query("pageToken") != nil }.count == 3)

            let unread = try await gmail.listAllMessages(query: "is:unread in:inbox newer_than:2d -category:promotions")
            #expect(Set(unread.map(\.id)) == Set(unreadInbox))
            #expect(try await gmail.listAllMessages(query: "from:grace@navy.example").map(\.id) == [read])
            #expect(try await gmail.listAllMessages(query: "category:promotions").map(\.id) == [promo])
            #expect(try await gmail.listAllMessages(query: "subject:\"this week\"").map(\.id) == [promo])
            #expect(try await gmail.listAllMessages(labelIDs: ["INBOX", "CATEGORY_PROMOTIONS"]).map(\.id) == [promo])
            #expect(try await gmail.listAllMessages(query: "older_than:7d").map(\.id) == [old])
            #expect(try await gmail.listAllMessages(query: "in:spam").count == 1)
            let label = await google.state.addLabel("Clients/Acme", to: Self.owner)
            try await gmail.addLabel(label, to: read)
            #expect(try await gmail.listAllMessages(query: "label:clients-acme").map(\.id) == [read])

            // The query travels as Gmail's `q`, the labels as repeated `labelIds`.
            let sent = await google.state.requests("gmail.users.messages.list").last
            #expect(sent?.query("q") == "label:clients-acme")
            #expect(await google.state.responseShapeProblems.isEmpty)
        }
    }

    @Test("metadata gives the triage headers decoded; raw gives the exact RFC 822 bytes")
    func metadataAndRaw() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let newsletter = try await google.state.addMail(to: Self.owner, raw: SampleMail.newsletter,
                                                            labels: ["INBOX", "UNREAD", "CATEGORY_PROMOTIONS"])
            let german = try await google.state.addMail(to: Self.owner, raw: SampleMail.german)

            let meta = try await gmail.metadata(id: newsletter)
            #expect(meta.header("list-unsubscribe") == "<mailto:unsubscribe@letters.example>, <https://letters.example/u/42>")
            #expect(meta.header("Precedence") == "bulk")
            #expect(meta.header("Subject") == "This week in compilers")
            #expect(meta.header("Message-ID") == nil)  // not asked for
            #expect(meta.labelIDs.contains("CATEGORY_PROMOTIONS"))
            #expect(meta.snippet.contains("Top stories"))
            #expect(meta.internalDate != nil)
            let request = await google.state.requests("gmail.users.messages.get").last
            #expect(request?.query("format") == "metadata")
            #expect(request?.query.filter { $0.name == "metadataHeaders" }.map(\.value) == GmailClient.triageHeaders)

            let germanMeta = try await gmail.metadata(id: german)
            #expect(germanMeta.header("Subject") == "Überprüfung der Rechnung")
            #expect(germanMeta.header("From") == "Jürgen Müller <juergen@beispiel.example>")

            let raw = try await gmail.rawMessage(id: german)
            #expect(raw.raw == Data(SampleMail.german.utf8))
            #expect(raw.id == german && raw.labelIDs == ["INBOX", "UNREAD"])

            await #expect(throws: GoogleError.notFound) { try await gmail.rawMessage(id: "0000000000000000") }
        }
    }

    @Test("history.list from the stored historyId reports exactly the new mail, across pages")
    func incrementalHistory() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            _ = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent)
            let profile = try await gmail.profile()
            #expect(profile.emailAddress == Self.owner)
            #expect(profile.messagesTotal == 1)

            // Nothing new: an empty answer and the same id.
            let quiet = try await gmail.history(since: profile.historyId)
            #expect(quiet.addedMessages.isEmpty)
            #expect(quiet.historyID == profile.historyId)

            var arrived: [String] = []
            for index in 0..<600 {  // more than one page of 500
                arrived.append(try await google.state.addMail(to: Self.owner,
                                                              raw: SampleMail.plain(from: "n\(index)@x.example", subject: "New \(index)")))
            }
            let first = await google.state.requests("gmail.users.history.list").count
            let changes = try await gmail.history(since: profile.historyId)
            #expect(changes.addedMessages.map(\.id) == arrived)
            #expect(changes.addedMessages.allSatisfy { $0.labelIds?.contains("INBOX") == true })
            #expect(await google.state.requests("gmail.users.history.list").count - first == 2)
            #expect(UInt64(changes.historyID)! > UInt64(profile.historyId)!)

            // Archiving is a label change, not new mail.
            try await gmail.archive(id: arrived[0])
            let after = try await gmail.history(since: changes.historyID)
            #expect(after.addedMessages.isEmpty)
            let sent = await google.state.requests("gmail.users.history.list").last
            #expect(sent?.query("historyTypes") == "messageAdded" && sent?.query("startHistoryId") == changes.historyID)

            // A draft is "added" too; asking for INBOX leaves it out.
            let draft = GmailMessageBuilder(from: GmailAddress(email: Self.owner), to: [GmailAddress(email: "bob@x.example")],
                                            subject: "Note", body: "Draft text").build()
            _ = try await gmail.createDraft(raw: draft.raw)
            #expect(try await gmail.history(since: after.historyID, labelID: "INBOX").addedMessages.isEmpty)
            #expect(try await gmail.history(since: after.historyID).addedMessages.map(\.labelIds) == [["DRAFT"]])
        }
    }

    @Test("an expired historyId is a distinct 'resync' error; the profile's new id works again")
    func historyExpiredMeansResync() async throws {
        try await GoogleHarness.run { google in
            let (gmail, _) = try await google.gmail()
            let stored = try await gmail.profile().historyId
            _ = try await google.state.addMail(to: Self.owner, raw: SampleMail.urgent)
            await google.state.expireHistory(of: Self.owner)
            await #expect(throws: GmailError.historyExpired) { try await gmail.history(since: stored) }
            #expect(await google.state.requests("gmail.users.history.list").map(\.status) == [404])

            // Resync: list recent mail, take the new id, continue incrementally from there.
            let recent = try await gmail.listAllMessages(query: "in:inbox newer_than:2d")
            #expect(recent.count == 1)
            let fresh = try await gmail.profile().historyId
            let next = try await google.state.addMail(to: Self.owner, raw: SampleMail.newsletter)
            #expect(try await gmail.history(since: fresh).addedMessages.map(\.id) == [next])

            // The injected fault behaves the same.
            await google.state.failNext(1, with: .historyExpired, method: "gmail.users.history.list")
            await #expect(throws: GmailError.historyExpired) { try await gmail.history(since: fresh) }
        }
    }
}
