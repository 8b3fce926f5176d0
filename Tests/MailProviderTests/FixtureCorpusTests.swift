import Foundation
import Testing
import StewardCore
@testable import MailProvider

/// `Tests/Fixtures/mail/expected.json`: the triage context (VIPs, keywords, people the owner has written
/// to) and, per `.eml` file, the expected category and text the decoded subject and body must contain.
struct MailCorpus: Decodable {
    struct Entry: Decodable, CustomTestStringConvertible {
        var file: String
        var category: String
        var subjectContains: String
        var bodyContains: String
        /// The deciding rule; absent = no rule decides (the model's job when configured, else fyi).
        var rule: String?
        /// Gmail `labelIds` the message arrives with.
        var labels: [String]?
        var testDescription: String { file }
    }

    var owner: String
    var vips: [String]
    var keywords: [String]
    var knownCorrespondents: [String]
    var messages: [Entry]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mail")

    static func load() throws -> MailCorpus {
        try JSONDecoder().decode(MailCorpus.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
    }

    static let entries: [Entry] = (try? load().messages) ?? []

    var triage: MailTriage {
        MailTriage(vips: vips, keywords: keywords, knownCorrespondents: Set(knownCorrespondents))
    }

    func parse(_ entry: Entry) throws -> MailMessage {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(entry.file))
        return MailParser.parse(data, id: entry.file, labels: entry.labels ?? [])
    }
}

@Suite struct FixtureCorpusTests {
    @Test func the_corpus_covers_every_category_with_at_least_30_messages() throws {
        let corpus = try MailCorpus.load()
        #expect(corpus.messages.count >= 30)
        let files = try FileManager.default.contentsOfDirectory(atPath: MailCorpus.directory.path).filter { $0.hasSuffix(".eml") }
        #expect(Set(files) == Set(corpus.messages.map(\.file)), "every .eml has an expectation and vice versa")
        let categories = Set(corpus.messages.map(\.category))
        #expect(categories == Set(MailCategory.allCases.map(\.rawValue)))
    }

    @Test(arguments: MailCorpus.entries)
    func each_message_decodes_and_lands_in_its_category(_ entry: MailCorpus.Entry) throws {
        let corpus = try MailCorpus.load()
        let message = try corpus.parse(entry)
        #expect(message.subject.contains(entry.subjectContains), "subject: \(message.subject)")
        #expect(message.body.contains(entry.bodyContains), "body: \(message.body)")
        #expect(!message.body.contains("\u{FFFD}"), "no undecodable characters")
        #expect(!message.from.address.isEmpty)
        #expect(message.date != nil)
        let result = corpus.triage.triage(message)
        #expect(result.category.rawValue == entry.category, "\(result.reason)")
        #expect(result.rule?.rawValue == entry.rule, "\(result.reason)")
    }

    @Test func decoded_names_attachments_and_invitations() throws {
        let corpus = try MailCorpus.load()
        func message(_ prefix: String) throws -> MailMessage {
            try corpus.parse(corpus.messages.first { $0.file.hasPrefix(prefix) }!)
        }
        #expect(try message("05").from.name == "Mütti")
        #expect(try message("06").from.name == "Иван Петров")
        #expect(try message("07").from.name == "佐藤 健")
        #expect(try message("26").from.name == "Céline Dubois")
        #expect(try message("11").isCalendarInvitation)
        #expect(try message("11").attachmentNames == ["invite.ics"])
        #expect(try message("12").isCalendarInvitation)
        #expect(try message("27").attachmentNames == ["team.jpg", "Offsite Fotos übersicht.zip"])
        #expect(try message("27").body.contains("<") == false)
        #expect(try message("15").to.count == 3)
        #expect(try message("15").cc.map(\.address) == ["legal@brightlabs.example"])
        #expect(try message("10").inReplyTo == "<CAF3-maria-budget@keller-consulting.example>")
        #expect(try message("16").listUnsubscribe?.hasPrefix("<https://") == true)
        let htmlOnly = try message("17")
        #expect(!htmlOnly.body.contains("track") && !htmlOnly.body.contains(".hero"))
        #expect(htmlOnly.body.contains("Meetups this week\n"))
    }

    @Test func mail_that_gives_orders_is_classified_like_any_other_mail() throws {
        let corpus = try MailCorpus.load()
        for file in ["33-instructs-assistant.eml", "34-instructs-hidden-html.eml"] {
            let message = try corpus.parse(corpus.messages.first { $0.file == file }!)
            let result = corpus.triage.triage(message)
            // Undecided, never urgent: the words "forward", "delete", "approve" trigger nothing.
            #expect(result.isUndecided)
            #expect(result.category == .fyi)
            #expect(result.reason == "no rule matched")
        }
    }
}
