import Foundation
import Testing
import StewardCore
@testable import MailProvider

/// Mail built to stall a parser: each must parse in one pass and still yield the sender and subject that
/// triage reads. No timings are asserted; the time limit turns a regression (today's code took minutes on
/// several of these) into a failure instead of a hung run. Content assertions use a generous budget so
/// they test the parser's bounds, not the speed of a debug build; the budget has its own test.
@Suite(.timeLimit(.minutes(1))) struct HostileMailTests {
    static let head = "From: \"Ana Boss\" <ana@vip.example>\r\nSubject: Budget approved\r\nDate: Tue, 1 Dec 2026 09:00:00 +0100\r\n"

    /// Parsed with a budget no test machine reaches, so what is asserted is the parser's bounds.
    func parse(_ text: String, budget: Duration = .seconds(600)) -> MailMessage {
        parse(Array(text.utf8), budget: budget)
    }

    func parse(_ bytes: [UInt8], budget: Duration = .seconds(600)) -> MailMessage {
        bytes.withUnsafeBufferPointer { MailParser.parse($0, id: nil, threadID: "", labels: [], budget: budget) }
    }

    func expectTriageHeaders(_ message: MailMessage, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(message.from.address == "ana@vip.example", sourceLocation: sourceLocation)
        #expect(message.subject == "Budget approved", sourceLocation: sourceLocation)
        #expect(message.date != nil, sourceLocation: sourceLocation)
        #expect(MailTriage(vips: ["ana@vip.example"]).triage(message).category == .urgent, sourceLocation: sourceLocation)
    }

    static func html(_ body: String) -> String {
        head + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Please call me today</p>" + body
    }

    @Test func a_megabyte_of_unclosed_tags_is_text_read_once() {
        let junk = String(repeating: "<a", count: 500_000)
        let message = parse(Self.html(junk))
        expectTriageHeaders(message)
        // Every `<` that never closes is shown as written, once.
        #expect(message.body == "Please call me today\n\n" + junk)
        #expect(message.bodyOmission == nil)
    }

    @Test func html_of_500_000_unclosed_tags_is_cut_at_the_text_limit() {
        let message = parse(Self.html(String(repeating: "<div class=x ", count: 500_000)))
        expectTriageHeaders(message)
        #expect(message.body.hasPrefix("Please call me today\n\n<div class=x <div"))
        #expect(message.body.utf8.count <= MailLimits.maximumText)
        #expect(message.bodyOmission == .truncated)
    }

    @Test func comments_scripts_and_entities_that_never_end_cost_one_pass() {
        let cases: [(html: String, text: String)] = [
            ("<!--" + String(repeating: "<!-- <b ", count: 100_000), "Please"),
            (String(repeating: "<script>", count: 100_000), "Please"),
            (String(repeating: "<style></st", count: 100_000), "Please"),
            (String(repeating: "&#x1F600", count: 100_000) + String(repeating: "&amp", count: 100_000), "&#x1F600&#x1F600"),
            (String(repeating: "</", count: 300_000), "</</</"),
        ]
        for (html, text) in cases {
            let message = parse(Self.html(html))
            expectTriageHeaders(message)
            #expect(message.body.hasPrefix("Please call me today"))
            #expect(message.body.contains(text))
        }
    }

    @Test func a_megabyte_of_rfc2231_continuations_gives_one_short_name() {
        var header = "Content-Disposition: attachment"
        var section = 0
        while header.utf8.count < 1_048_576 {
            header += section == 0 ? ";\r\n filename*0*=utf-8''Rechnung%20" : ";\r\n filename*\(section)*=%41%42"
            section += 1
        }
        let text = Self.head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "Please call me today\r\n--b\r\nContent-Type: application/pdf\r\n" + header + "\r\n\r\nJVBERi0=\r\n--b--\r\n"
        let message = parse(text)
        expectTriageHeaders(message)
        #expect(message.body == "Please call me today")
        #expect(message.attachmentNames.count == 1)
        let name = message.attachmentNames.first ?? ""
        #expect(name.hasPrefix("Rechnung ABAB"))
        #expect(name.count <= MailLimits.maximumName + 1)
    }

    @Test func thirty_levels_of_nested_multipart_are_read_to_the_depth_limit() {
        var text = Self.head + "Content-Type: multipart/mixed; boundary=\"level0\"\r\n\r\n--level0\r\n"
            + "Content-Type: text/plain\r\n\r\nPlease call me today\r\n"
        for level in 0..<30 {
            text += "--level\(level)\r\nContent-Type: multipart/mixed; boundary=\"level\(level + 1)\"\r\n\r\n"
        }
        text += "--level30\r\nContent-Type: text/plain\r\n\r\nthirty levels down\r\n"
        for level in stride(from: 30, through: 0, by: -1) { text += "--level\(level)--\r\n" }
        let message = parse(text)
        expectTriageHeaders(message)
        #expect(message.body == "Please call me today")
        #expect(message.bodyOmission == .tooComplex)
    }

    @Test func a_hundred_thousand_parts_are_read_to_the_part_limit() {
        let part = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
        let text = Self.head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "Please call me today\r\n" + String(repeating: part, count: 100_000) + "--b--\r\n"
        let message = parse(text)
        expectTriageHeaders(message)
        #expect(message.body.hasPrefix("Please call me today\n\nx\n\nx"))
        #expect(message.body.filter { $0 == "x" }.count == MailLimits.maximumParts - 1)
        #expect(message.bodyOmission == .tooComplex)
    }

    @Test func a_to_header_of_100_000_addresses_keeps_the_first_thousand() {
        var to = "To: "
        for index in 0..<100_000 { to += "\"Person \(index)\" <p\(index)@example.com>,\r\n " }
        let message = parse(Self.head + to + "last@example.com\r\n\r\nPlease call me today")
        expectTriageHeaders(message)
        #expect(message.to.count == MailLimits.maximumAddresses)
        #expect(message.to.first == MailAddress(name: "Person 0", address: "p0@example.com"))
        #expect(message.to.last?.address == "p999@example.com")
        #expect(message.body == "Please call me today")
    }

    @Test func encoded_words_that_never_close_are_text() {
        // Not one `?=` in either: every `=?` once opened a word that ran to the end of the header.
        let unclosed = String(repeating: "=?utf-8?q?x", count: 100_000)
        let bare = String(repeating: "=?utf-8?q?", count: 100_000)
        let text = "From: \(bare) <ana@vip.example>\r\nSubject: =?utf-8?q?Budget_approved?= \(unclosed)\r\n"
            + "Date: Tue, 1 Dec 2026 09:00:00 +0100\r\n\r\nPlease call me today"
        let message = parse(text)
        #expect(message.from.address == "ana@vip.example")
        #expect(message.from.name.count <= MailLimits.maximumName + 1)
        #expect(message.subject.hasPrefix("Budget approved =?utf-8?q?x=?utf-8?q?x"))
        #expect(message.subject.count <= MailLimits.maximumSubject + 1)
        #expect(MailTriage(vips: ["ana@vip.example"]).triage(message).category == .urgent)
        // Words as encoders write them still decode, up to the longest the corpus holds and beyond.
        #expect(EncodedWords.decode("=?utf-8?B?" + Data(String(repeating: "ü", count: 40).utf8).base64EncodedString() + "?=")
            == String(repeating: "ü", count: 40))
        #expect(EncodedWords.decode("=?utf-8?B?QWJj?= =?utf-8?Q?d=3F?=") == "Abcd?")
    }

    @Test func a_40_megabyte_message_keeps_a_megabyte_of_text_and_its_attachment() {
        let line = "Please call me today about the budget. Die Ums=C3=A4tze lagen =C3=BCber Plan.\r\n"
        let base64Line = String(repeating: "QUJD", count: 19) + "\r\n"
        let text = Self.head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + String(repeating: line, count: 20_000_000 / line.utf8.count)
            + "--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + String(repeating: base64Line, count: 20_000_000 / base64Line.utf8.count)
            + "--b--\r\n"
        let bytes = Array(text.utf8)
        #expect(bytes.count > 40_000_000)
        let message = parse(bytes)
        expectTriageHeaders(message)
        #expect(message.body.hasPrefix("Please call me today about the budget. Die Umsätze lagen über Plan.\n"))
        #expect(message.body.utf8.count <= MailLimits.maximumText)
        #expect(message.body.utf8.count > MailLimits.maximumText - 200)
        #expect(!message.body.contains("\u{FFFD}"))
        #expect(message.bodyOmission == .truncated)
        #expect(message.attachmentNames == ["big.zip"])
    }

    @Test func a_hundred_thousand_labels_and_megabyte_headers_are_read_from_their_start() {
        let labels = (0..<100_000).map { "Label\($0)" }.joined(separator: ",")
        let long = String(repeating: "x", count: 1 << 20)
        let text = Self.head + "X-Gmail-Labels: Important," + labels + "\r\nList-Unsubscribe: <https://example.com/u?\(long)>\r\n"
            + "Message-ID: <\(long)@example.com>\r\n\r\nPlease call me today"
        let message = parse(text)
        expectTriageHeaders(message)
        #expect(message.labels.first == "Important")
        #expect(message.labels.count < 1_000)
        #expect((message.listUnsubscribe?.utf8.count ?? 0) <= 4096)
        #expect(message.id.utf8.count <= 998)
        #expect(MailDateParser.parse("Tue, 1 Dec 2026 09:00:00 +0100 " + long) != nil)
    }

    @Test func a_megabyte_subject_is_cut_between_characters() {
        let text = "From: \"Jürgen Groß\" <ana@vip.example>\r\nSubject: Grüße " + String(repeating: "é", count: 600_000)
            + "\r\nDate: Tue, 1 Dec 2026 09:00:00 +0100\r\n\r\nPlease call me today"
        let message = parse(text)
        // Cut mid-character, the whole field would read as Windows-1252: "GrÃ¼ÃŸe".
        #expect(message.subject.hasPrefix("Grüße éé"))
        #expect(message.subject.count == MailLimits.maximumSubject + 1)
        #expect(message.from == MailAddress(name: "Jürgen Groß", address: "ana@vip.example"))
    }

    @Test func a_header_block_of_millions_of_lines_is_read_in_one_pass() {
        // 20 MB without a blank line: all of it is headers, and none of it is a field.
        let text = Self.head + String(repeating: "(\r\n x\r\n", count: 2_000_000)
        let message = parse(text)
        expectTriageHeaders(message)
        #expect(message.body.isEmpty)
        // Past the budget, the header block stops where it is; the fields read so far stay.
        let lines = Array((Self.head + String(repeating: "X-Junk: 1\r\n", count: 10_000)).utf8)
        let headers = lines.withUnsafeBufferPointer { MIMEHeaders($0, 0..<$0.count, budget: ParseBudget(.zero)) }
        #expect(headers.outOfTime)
        #expect(headers.first("subject") == "Budget approved")
        #expect(headers.fields.count < 4096)
    }

    @Test func hostile_mails_from_gmail_leave_the_urgent_mail_after_them_alerted() {
        let spam = "From: Prize <win@junk.example>\r\nSubject: You won\r\n"
        var to = "To: "
        for index in 0..<100_000 { to += "p\(index)@example.com, " }
        var nested = spam + "Content-Type: multipart/mixed; boundary=\"l0\"\r\n\r\n"
        for level in 0..<30 { nested += "--l\(level)\r\nContent-Type: multipart/mixed; boundary=\"l\(level + 1)\"\r\n\r\n" }
        let hostile = [
            spam + "Content-Type: text/html; charset=utf-8\r\n\r\n" + String(repeating: "<a", count: 600_000),
            spam + "Content-Type: application/pdf\r\nContent-Disposition: attachment"
                + String(repeating: ";\r\n filename*1*=%41%42", count: 50_000) + "\r\n\r\nJVBERi0=",
            nested + "--l30\r\n\r\ndeep",
            spam + to + "last@example.com\r\n\r\nhi",
            spam + "Subject: " + String(repeating: "=?utf-8?q?x", count: 100_000) + "\r\n\r\nhi",
        ]
        let triage = MailTriage(vips: ["ana@vip.example"])
        // As the triage job gets them: Gmail's base64url `raw`, parsed with the real budget.
        for text in hostile {
            let message = MailParser.parse(gmailRaw: TransferEncoding.base64URLEncode(Data(text.utf8)), id: "spam")
            #expect(message.from.address == "win@junk.example")
            #expect(message.subject == "You won")
            #expect(triage.triage(message).category != .urgent)
        }
        let urgent = MailParser.parse(gmailRaw: TransferEncoding.base64URLEncode(Data((Self.head + "\r\nPlease call me today").utf8)),
                                      id: "vip")
        expectTriageHeaders(urgent)
        #expect(urgent.body == "Please call me today")
    }

    @Test func past_the_time_budget_a_mail_is_triaged_from_its_headers() {
        let text = Self.head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "Please call me today\r\n--b--\r\n"
        let message = parse(text, budget: .zero)
        expectTriageHeaders(message)
        #expect(message.body.isEmpty)
        #expect(message.bodyOmission == .timeBudget)
        // The public entry point has the real budget: an ordinary mail is read whole.
        let ordinary = MailParser.parse(Array(text.utf8))
        #expect(ordinary.body == "Please call me today")
        #expect(ordinary.bodyOmission == nil)
    }

    @Test func the_budget_is_looked_at_inside_one_long_html_part() {
        let html = "<p>Please call me today</p>" + String(repeating: "<p>more words here</p>", count: 20_000)
        let conversion = Array(html.utf8).withUnsafeBufferPointer {
            HTMLText.convert($0, limit: .max, budget: ParseBudget(.zero))
        }
        #expect(conversion.outOfTime)
        #expect(conversion.text.hasPrefix("Please call me today"))
        #expect(conversion.text.utf8.count < html.utf8.count / 2)
    }
}
