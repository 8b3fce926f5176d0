import Foundation
@testable import GoogleWorkspace
import StewardTesting
import Testing

extension GoogleHarness {
    /// A Gmail client for the owner, connected through the fake's consent flow with the mail scopes.
    func gmail(scopes: [String] = GoogleScope.mailConnection, attempts: Int = 4) async throws -> (GmailClient, GoogleTokenProvider) {
        let tokens = tokenProvider(tokens: try await connect(scopes: scopes))
        return (GmailClient(api: client(tokens: tokens, attempts: attempts)), tokens)
    }
}

/// Realistic raw messages (CRLF line ends, as SMTP delivers them).
enum SampleMail {
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    static func plain(from: String, subject: String, body: String = "Hello.", messageID: String = "<\(UUID().uuidString)@mail.example.org>",
                      extraHeaders: [String] = []) -> String {
        let headers = ["From: \(from)", "To: Ada Lovelace <ada@example.com>", "Subject: \(subject)",
                       "Date: Fri, 20 Nov 2026 09:15:00 +0100", "Message-ID: \(messageID)", "MIME-Version: 1.0",
                       "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"] + extraHeaders
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + crlf(body) + "\r\n"
    }

    static let urgent = plain(from: "Grace Hopper <grace@navy.example>", subject: "Contract needs your signature today",
                              body: "Please sign before 17:00, the client is waiting.", messageID: "<urgent-1@navy.example>")

    static let newsletter = plain(from: "Weekly Digest <news@letters.example>", subject: "This week in compilers",
                                  body: "Top stories of the week.",
                                  extraHeaders: ["List-Unsubscribe: <mailto:unsubscribe@letters.example>, <https://letters.example/u/42>", "Precedence: bulk"])

    /// A German subject as RFC 2047 words, a folded header and a quoted-printable body.
    static let german = crlf("""
    From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@beispiel.example>
    To: ada@example.com
    Subject: =?UTF-8?B?w5xiZXJwcsO8ZnVuZyBkZXI=?=
     =?UTF-8?B?IFJlY2hudW5n?=
    Date: Fri, 20 Nov 2026 10:00:00 +0100
    Message-ID: <de-1@beispiel.example>
    MIME-Version: 1.0
    Content-Type: text/plain; charset=UTF-8
    Content-Transfer-Encoding: quoted-printable

    Gr=C3=BC=C3=9Fe aus M=C3=BCnchen
    """)
}
