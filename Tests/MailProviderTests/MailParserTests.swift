import Foundation
import Testing
import StewardCore
@testable import MailProvider

/// `2026-11-17T08:12:30Z` → Date (test inputs are valid).
func utc(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

/// Joins lines with CRLF, as mail travels on the wire.
func wire(_ lines: String...) -> [UInt8] {
    Array(lines.joined(separator: "\r\n").utf8)
}

@Suite struct MailParserTests {
    @Test func folded_headers_are_unfolded_and_addresses_split() {
        let message = MailParser.parse(wire(
            "From: \"Silva, Ana\" <Ana.Silva@Example.com>",
            "To: bob@example.com, \"Carol\" <carol@example.org>,",
            " dave@example.net (Dave Jones)",
            "Subject: Quarterly numbers",
            "\tand the plan",
            "Date: Tue, 17 Nov 2026 09:12:30 +0100 (CET)",
            "Message-ID: <abc@example.com>",
            "",
            "Hello Bob"))
        #expect(message.from == MailAddress(name: "Silva, Ana", address: "Ana.Silva@Example.com"))
        #expect(message.from.normalized == "ana.silva@example.com")
        #expect(message.to.map(\.address) == ["bob@example.com", "carol@example.org", "dave@example.net"])
        #expect(message.to[2].name == "Dave Jones")
        #expect(message.subject == "Quarterly numbers\tand the plan".replacingOccurrences(of: "\t", with: " "))
        #expect(message.date == utc("2026-11-17T08:12:30Z"))
        #expect(message.id == "abc@example.com")
        #expect(message.body == "Hello Bob")
    }

    @Test func encoded_words_in_several_charsets_decode() {
        #expect(EncodedWords.decode("=?UTF-8?B?8J+OiSBQYXJ0eQ==?=") == "🎉 Party")
        #expect(EncodedWords.decode("=?ISO-8859-1?Q?Caf=E9_cr=E8me?=") == "Café crème")
        #expect(EncodedWords.decode("=?windows-1252?Q?=93Quoted=94?=") == "“Quoted”")
        #expect(EncodedWords.decode("=?KOI8-R?B?8NLJ18XU?=") == "Привет")
        #expect(EncodedWords.decode("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") == "日本語")
        #expect(EncodedWords.decode("=?Shift_JIS?B?k/qWe4zq?=") == "日本語")
        // Adjacent words: the space between them goes; a split multi-byte character is rejoined.
        #expect(EncodedWords.decode("=?UTF-8?Q?Gr=C3?= =?UTF-8?Q?=BC=C3=9Fe?= aus Berlin") == "Grüße aus Berlin")
        #expect(EncodedWords.decode("Re: =?utf-8?q?Caf=C3=A9?= tomorrow") == "Re: Café tomorrow")
        #expect(EncodedWords.decode("=?bogus") == "=?bogus")
    }

    @Test func multipart_alternative_prefers_plain_and_records_attachments() {
        let message = MailParser.parse(wire(
            "From: a@example.com",
            "Subject: Report",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "preamble",
            "--outer",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Gr=C3=BC=C3=9Fe, the report is attached and it is long enough to need a soft =",
            "break.",
            "--inner",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>HTML version</p>",
            "--inner--",
            "--outer",
            "Content-Type: application/pdf; name=\"report.pdf\"",
            "Content-Disposition: attachment; filename*=utf-8''R%C3%A9sum%C3%A9.pdf",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQK",
            "--outer--",
            "epilogue"))
        #expect(message.body == "Grüße, the report is attached and it is long enough to need a soft break.")
        #expect(message.attachmentNames == ["Résumé.pdf"])
        #expect(!message.isCalendarInvitation)
    }

    @Test func html_only_mail_becomes_readable_text() {
        let html = """
            <html><head><style>p { color: red }</style><title>x</title></head><body>
            <script>alert("no")</script><h1>Welcome&nbsp;back</h1><p>Fish &amp; chips<br>for &#8364;5 &mdash; today</p>
            <ul><li>One</li><li>Two</li></ul><!-- hidden --><table><tr><td>A</td><td>B</td></tr></table></body></html>
            """
        let text = HTMLText.text(fromHTML: html)
        #expect(!text.contains("alert"))
        #expect(!text.contains("color"))
        #expect(!text.contains("hidden"))
        #expect(text.contains("Welcome back"))
        #expect(text.contains("Fish & chips\nfor €5 — today"))
        #expect(text.contains("• One\n• Two"))
        #expect(text.contains("A B"))
        #expect(HTMLText.text(fromHTML: "<p>if a < b and b > c</p>") == "if a < b and b > c")
        // Entities: hex and decimal, names case-sensitive first (Ä vs ä), then case-blind; unknown ones kept.
        #expect(HTMLText.text(fromHTML: "&#x41;&#66;&Auml;&auml;&AMP;&bogus;&#;&#x;") == "ABÄä&&bogus;&#;&#x;")
    }

    @Test func base64url_gmail_raw_round_trips() {
        let raw = "From: a@example.com\r\nSubject: =?utf-8?B?w5xiZXI=?=\r\n\r\nBody ~~~ ???"
        let encoded = TransferEncoding.base64URLEncode(Data(raw.utf8))
        #expect(!encoded.contains("+") && !encoded.contains("/") && !encoded.contains("="))
        #expect(TransferEncoding.base64URLDecode(encoded) == Data(raw.utf8))
        let message = MailParser.parse(gmailRaw: encoded, id: "18c2", threadID: "18c1", labels: ["INBOX"])
        #expect(message.subject == "Über")
        #expect(message.id == "18c2" && message.threadID == "18c1" && message.labels == ["INBOX"])
    }

    @Test func single_byte_charsets_decode() {
        #expect(Charsets.decode([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], charset: "koi8-r") == "Привет")
        #expect(Charsets.decode([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], charset: "cp1251") == "Привет")
        #expect(Charsets.decode([0x80, 0x20, 0xE9], charset: "Windows-1252") == "€ é")
        #expect(Charsets.decode([0xA4], charset: "ISO-8859-15") == "€")
        #expect(Charsets.decode([0xE9], charset: "\"latin1\"") == "é")
        // A "us-ascii" label on Windows-1252 bytes: the bytes win.
        #expect(Charsets.decode([0x93, 0x68, 0x69, 0x94], charset: "us-ascii") == "“hi”")
        #expect(Charsets.decode([0x68, 0x69], charset: "x-unknown-charset") == "hi")
    }

    @Test func calendar_parts_and_ics_attachments_mark_invitations() {
        let inline = MailParser.parse(wire(
            "From: a@example.com", "Content-Type: multipart/alternative; boundary=b", "",
            "--b", "Content-Type: text/plain", "", "Join us", "--b",
            "Content-Type: text/calendar; method=REQUEST; charset=UTF-8", "", "BEGIN:VCALENDAR", "END:VCALENDAR", "--b--"))
        #expect(inline.isCalendarInvitation)
        #expect(inline.body == "Join us")
        let attached = MailParser.parse(wire(
            "From: a@example.com", "Content-Type: multipart/mixed; boundary=b", "",
            "--b", "Content-Type: text/plain", "", "See invite", "--b",
            "Content-Type: application/octet-stream; name=invite.ics", "Content-Disposition: attachment", "", "QkVHSU4=", "--b--"))
        #expect(attached.isCalendarInvitation)
        #expect(attached.attachmentNames == ["invite.ics"])
    }

    @Test func the_snippet_is_one_short_line() {
        let body = "Hi Ana,\n\n   the numbers   are in.\n" + String(repeating: "word ", count: 100)
        let message = MailParser.parse(Array(("From: a@example.com\n\n" + body).utf8))
        #expect(message.snippet.hasPrefix("Hi Ana, the numbers are in. word"))
        #expect(message.snippet.count == 201 && message.snippet.hasSuffix("…"))
        #expect(!message.snippet.contains("\n"))
    }

    @Test func dates_in_old_and_odd_forms_parse() {
        #expect(MailDateParser.parse("17 Nov 26 09:12 GMT") == utc("2026-11-17T09:12:00Z"))
        #expect(MailDateParser.parse("Tue, 17 Nov 2026 03:12:00 -0530") == utc("2026-11-17T08:42:00Z"))
        #expect(MailDateParser.parse("Nov 17 2026 09:12:00 +0000") == utc("2026-11-17T09:12:00Z"))
        #expect(MailDateParser.parse("Tue, 17 Nov 2026 03:12:00 EST") == MailDateParser.parse("Tue, 17 Nov 2026 08:12:00 +0000"))
        #expect(MailDateParser.parse("not a date") == nil)
        #expect(MailDateParser.parse("99 Zzz 99999999999999999 99:99") == nil)
    }
}
