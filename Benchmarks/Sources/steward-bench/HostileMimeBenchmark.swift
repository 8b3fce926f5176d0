import Foundation
import MailProvider
import StewardCore

/// Parse time of the hostile mails of issue 13 at 1, 2 and 4 MB: linear growth shows as a time that
/// doubles with the size (a quadratic step would quadruple it), and each should stay under 50 ms at 1 MB.
/// One more line parses a 40 MB message, which the text cap keeps near the cost of its first megabytes.
struct HostileMimeBenchmark {
    static let head = "From: \"Ana Boss\" <ana@vip.example>\r\nSubject: Budget approved\r\nDate: Tue, 1 Dec 2026 09:00:00 +0100\r\n"

    /// Each kind builds a message of about `size` bytes.
    let kinds: [(name: String, make: (Int) -> [UInt8])] = [
        ("run of unclosed `<a`", { size in
            Self.bytes(Self.head + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Please call</p>"
                + String(repeating: "<a", count: size / 2))
        }),
        ("unclosed tags `<div class=x `", { size in
            Self.bytes(Self.head + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Please call</p>"
                + String(repeating: "<div class=x ", count: size / 13))
        }),
        ("Latin-1 quoted-printable HTML of `<`", { size in
            Self.bytes(Self.head + "Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<p>Please call</p>" + String(repeating: "<<a =E9t=E9 ", count: size / 12))
        }),
        ("RFC 2231 continuations", { size in
            var header = "Content-Disposition: attachment; filename*0*=utf-8''Rechnung%20"
            let section = ";\r\n filename*1*=%41%42"
            header += String(repeating: section, count: size / section.utf8.count)
            return Self.bytes(Self.head + "Content-Type: application/pdf\r\n" + header + "\r\n\r\nJVBERi0=\r\n")
        }),
        ("combining marks in a parameter's name and a field's name", { size in
            let marks = String(repeating: "\u{0301}", count: size / 4)
            return Self.bytes(Self.head + "X" + marks + ": 1\r\nContent-Type: text/plain; x" + marks + "*=v\r\n\r\nPlease call")
        }),
        ("30-level nested multipart", { size in
            var text = Self.head + "Content-Type: multipart/mixed; boundary=\"level0\"\r\n\r\n"
            let filler = String(repeating: "Please call me today about the budget.\r\n", count: size / 40 / 31)
            for level in 0..<30 {
                text += "--level\(level)\r\nContent-Type: text/plain\r\n\r\n" + filler
                text += "--level\(level)\r\nContent-Type: multipart/mixed; boundary=\"level\(level + 1)\"\r\n\r\n"
            }
            text += "--level30\r\nContent-Type: text/plain\r\n\r\n" + filler
            for level in stride(from: 30, through: 0, by: -1) { text += "--level\(level)--\r\n" }
            return Self.bytes(text)
        }),
        ("To: of many addresses", { size in
            var to = "To: "
            var index = 0
            while to.utf8.count < size {
                to += "\"Person \(index)\" <p\(index)@example.com>,\r\n "
                index += 1
            }
            return Self.bytes(Self.head + to + "last@example.com\r\n\r\nPlease call me today")
        }),
        ("unclosed encoded words in Subject", { size in
            Self.bytes("From: ana@vip.example\r\nSubject: =?utf-8?q?Budget?= "
                + String(repeating: "=?utf-8?q?x", count: size / 11) + "\r\n\r\nPlease call me today")
        }),
        ("large quoted-printable text + attachment", { size in Self.largeMessage(size) }),
    ]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Half quoted-printable text, half base64 attachment: the shape of the 40 MB test mail.
    static func largeMessage(_ size: Int) -> [UInt8] {
        let line = "Please call me today about the budget. Die Ums=C3=A4tze lagen =C3=BCber Plan.\r\n"
        let base64Line = String(repeating: "QUJD", count: 19) + "\r\n"
        return bytes(head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + String(repeating: line, count: size / 2 / line.utf8.count)
            + "--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + String(repeating: base64Line, count: size / 2 / base64Line.utf8.count)
            + "--b--\r\n")
    }

    func run(scale: Double) -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        for kind in kinds {
            var oneMB: Duration?
            for megabytes in [1, 2, 4] {
                let bytes = kind.make(megabytes << 20)
                let sample = MailParser.parse(bytes)
                var result = measure(name: "mime hostile: \(kind.name), \(megabytes) MB", target: .milliseconds(50 * megabytes),
                                     warmUp: 2, iterations: max(3, Int(20 * scale))) {
                    MailParser.parse(bytes).body.utf8.count
                }
                let growth = oneMB.map { String(format: "×%.1f of 1 MB, ", result.median.seconds / $0.seconds) } ?? ""
                if oneMB == nil { oneMB = result.median }
                result.note = growth + "from \(sample.from.address), \(sample.body.utf8.count) bytes of text"
                    + (sample.bodyOmission.map { ", body \($0.rawValue)" } ?? "")
                results.append(result)
            }
        }
        // The steps alone, without the message's caps: their own time must grow linearly too.
        let steps: [(name: String, run: (Int) -> () -> Int)] = [
            ("HTML to text of unclosed `<a`", { size in
                let html = String(repeating: "<a", count: size / 2)
                return { HTMLText.text(fromHTML: html).utf8.count }
            }),
            ("HTML to text of unclosed `</`, `<!--`, `<script`", { size in
                let html = String(repeating: "</", count: size / 6) + "<script>" + String(repeating: "</scrip", count: size / 21)
                    + "</script><!--" + String(repeating: "-- >", count: size / 12)
                return { HTMLText.text(fromHTML: html).utf8.count }
            }),
            ("encoded words that never close", { size in
                let header = String(repeating: "=?utf-8?q?x", count: size / 11)
                return { EncodedWords.decode(header).utf8.count }
            }),
        ]
        for step in steps {
            var oneMB: Duration?
            for megabytes in [1, 2, 4] {
                var result = measure(name: "mime hostile step: \(step.name), \(megabytes) MB", target: .milliseconds(50 * megabytes),
                                     warmUp: 2, iterations: max(3, Int(20 * scale)), step.run(megabytes << 20))
                result.note = oneMB.map { String(format: "×%.1f of 1 MB", result.median.seconds / $0.seconds) } ?? ""
                if oneMB == nil { oneMB = result.median }
                results.append(result)
            }
        }
        let huge = Self.largeMessage(40 << 20)
        let sample = MailParser.parse(huge)
        results.append(measure(name: "mime hostile: 40 MB message", target: .milliseconds(250), warmUp: 1,
                               iterations: max(3, Int(10 * scale)),
                               note: "\(sample.body.utf8.count) bytes of text, \(sample.bodyOmission?.rawValue ?? "whole")") {
            MailParser.parse(huge).body.utf8.count
        })
        return results
    }
}
