import Foundation
import MailProvider
import StewardCore

/// Parsing a 1 MB message: multipart/mixed with a quoted-printable text part, an HTML alternative, an
/// inline image and a ~850 KB base64 attachment — the shape of a typical "report attached" mail.
struct MimeParseBenchmark {
    func makeMessage() -> [UInt8] {
        var random = SplitMix64(seed: 0x4D49_4D45)
        var text = """
            From: "Jonas Weber" <jonas.weber@northwind.example>
            To: Maria Keller <maria@keller-consulting.example>
            Subject: =?UTF-8?Q?Q3_report_=E2=80=93_final?=
            Date: Tue, 17 Nov 2026 16:58:00 +0100
            Message-ID: <bench@northwind.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="mixed-boundary"

            --mixed-boundary
            Content-Type: multipart/alternative; boundary="alt-boundary"

            --alt-boundary
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable


            """
        let sentence = "Die Umsätze im dritten Quartal lagen über Plan; Details stehen im Anhang. "
        for _ in 0..<800 { text += sentence.replacingOccurrences(of: "ä", with: "=C3=A4").replacingOccurrences(of: "ü", with: "=C3=BC") + "=\n" }
        text += "\n--alt-boundary\nContent-Type: text/html; charset=utf-8\n\n<html><body>"
        for _ in 0..<800 { text += "<p>Die Ums&auml;tze lagen &uuml;ber Plan.</p>\n" }
        text += "</body></html>\n--alt-boundary--\n--mixed-boundary\nContent-Type: application/pdf; name=\"Q3.pdf\"\n"
        text += "Content-Disposition: attachment; filename=\"Q3.pdf\"\nContent-Transfer-Encoding: base64\n\n"
        let attachment = (0..<700_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let encoded = Data(attachment).base64EncodedString(options: .lineLength76Characters)
        text += encoded.replacingOccurrences(of: "\r\n", with: "\n")
        text += "\n--mixed-boundary--\n"
        return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// The worst case for decoding: 1 MB that is all quoted-printable text, every byte decoded.
    func makeTextMessage() -> [UInt8] {
        var text = "From: a@example.com\nSubject: Minutes\nContent-Type: text/plain; charset=utf-8\n"
        text += "Content-Transfer-Encoding: quoted-printable\n\n"
        let line = "Beschl=C3=BCsse der Sitzung: Budget freigegeben, n=C3=A4chster Termin im Dezember. =\n"
        while text.utf8.count < 1_070_000 { text += line }
        return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// An HTML-only newsletter of 1 MB: every byte goes through the HTML-to-text conversion.
    func makeHTMLMessage() -> [UInt8] {
        var text = "From: news@example.com\nSubject: Weekly\nContent-Type: text/html; charset=utf-8\n\n"
        text += "<html><head><style>.a{color:red}</style><script>track()</script></head><body><table>"
        let row = "<tr><td class=\"item\"><h2>Swift Berlin &ndash; Tuesday</h2><p>Talks about concurrency &amp; "
            + "servers, pizza at <b>19:00</b>.<br>Sign up: <a href=\"https://example.com/e?id=1\">here</a></p></td></tr>\n"
        while text.utf8.count < 1_070_000 { text += row }
        return Array((text + "</table></body></html>\n").utf8)
    }

    func run(scale: Double) -> [BenchmarkResult] {
        [("multipart message", makeMessage()), ("quoted-printable text message", makeTextMessage()),
         ("HTML-only message", makeHTMLMessage())].map { kind, bytes in
            let sample = MailParser.parse(bytes)
            let size = String(format: "%.2f MB", Double(bytes.count) / 1_048_576)
            return measure(name: "mime: parse a \(size) \(kind)", target: .milliseconds(5), warmUp: 5,
                           iterations: Int(200 * scale),
                           note: "\(sample.body.count) characters of text, \(sample.attachmentNames.count) attachments") {
                MailParser.parse(bytes).body.utf8.count
            }
        }
    }
}
