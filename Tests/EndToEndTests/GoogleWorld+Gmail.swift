import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// Gmail for the subprocess tests that remain (they need `kill -9`): connecting it and tapping alert buttons.
/// The Gmail behaviour itself is tested in-process in AppEndToEndTests (GmailAppTests).
extension GoogleWorld {
    /// `/connect gmail`, answered as Ana's browser would; the link is the chat's message `linkNumber`,
    /// the confirmation the next one.
    func connectGmail(_ steward: StewardProcess, linkNumber: Int) async throws {
        await telegram.fake.sendText("/connect gmail", from: TelegramWorld.owner)
        let link = try await telegram.waitForMessages(linkNumber, to: 100, steward)[linkNumber - 1].text
        let url = try #require(link.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http") }
            .flatMap { URL(string: String($0)) })
        let consent = try await google.state.authorize(url, as: Self.email)
        let (_, response) = try await URLSession.shared.data(from: consent.redirect)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let connected = try await telegram.waitForMessages(linkNumber + 1, to: 100, steward)[linkNumber].text
        #expect(connected.contains("Connected Gmail"), "\(connected)")
    }

    /// Taps a button and waits for Telegram's callback to be answered.
    func tap(_ message: FakeTelegramMessage, _ title: String) async throws {
        let data = try #require(message.buttons.flatMap { $0 }.first { $0.text == title }?.callbackData)
        let before = await telegram.fake.state.answeredCallbacks().count
        await telegram.fake.state.tapButton(messageID: message.messageID, inChat: 100, from: TelegramWorld.owner, data: data)
        try await waitUntil { await telegram.fake.state.answeredCallbacks().count > before }
    }
}

/// A plain-text mail as Gmail stores it (RFC 5322, CRLF).
enum TestMail {
    static func mail(from: String, subject: String, body: String, id: String) -> String {
        """
        From: \(from)\r
        To: Ana <ana@example.com>\r
        Subject: \(subject)\r
        Date: \(Date().formatted(.iso8601))\r
        Message-ID: <\(id)@mail.example.com>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=UTF-8\r
        \r
        \(body)\r

        """
    }
}
