import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// Connecting Google and Gmail the way Ana does it (the link in chat, the fake's consent, the redirect
/// back to Steward's HTTP server), and tapping buttons.
extension AppWorld {
    var fakeGoogle: FakeGoogleServer {
        get throws { try #require(google, "this world has no fake Google") }
    }

    /// `/connect google` (or `gmail`): follows the link in answer number `linkNumber` as Ana's browser would
    /// and returns the page Steward showed.
    func connect(_ what: String = "google", linkNumber: Int) async throws -> (status: Int, page: String) {
        let text = try await ask("/connect \(what)", answerNumber: linkNumber).text
        let link = try #require(text.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http") }
            .flatMap { URL(string: String($0)) }, "no link in \(text)")
        let consent = try await fakeGoogle.state.authorize(link, as: Self.email)
        let (data, response) = try await URLSession.shared.data(from: consent.redirect)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Boots the app and connects Ana's Google account (answers 1 and 2).
    func bootConnected() async throws -> RunningApp {
        let app = try await boot()
        let (status, _) = try await connect(linkNumber: 1)
        #expect(status == 200)
        let connected = try await waitForMessages(2)[1].text
        #expect(connected.contains("Connected ana@example.com"), "\(connected)")
        return app
    }

    /// `/connect gmail`: the link is answer `linkNumber`, the confirmation the next one.
    func connectGmail(linkNumber: Int) async throws {
        let (status, _) = try await connect("gmail", linkNumber: linkNumber)
        #expect(status == 200)
        let connected = try await waitForMessages(linkNumber + 1)[linkNumber].text
        #expect(connected.contains("Connected Gmail"), "\(connected)")
    }

    /// Taps a button as Ana and waits for Telegram's callback to be answered.
    func tap(_ message: FakeTelegramMessage, _ title: String) async throws {
        let data = try #require(message.buttons.flatMap { $0 }.first { $0.text == title }?.callbackData)
        let before = await telegram.state.answeredCallbacks().count
        await telegram.state.tapButton(messageID: message.messageID, inChat: 100, from: Self.owner, data: data)
        try await waitUntil { await telegram.state.answeredCallbacks().count > before }
    }

    /// Taps the card's Approve button and waits for the card to show the outcome; returns it.
    func approve(_ card: FakeTelegramMessage) async throws -> String {
        let data = try #require(card.buttons.flatMap { $0 }.first { $0.text == "Approve" }?.callbackData)
        let before = await telegram.state.edits(chat: 100).count
        await telegram.state.tapButton(messageID: card.messageID, inChat: 100, from: Self.owner, data: data)
        try await waitUntil { await telegram.state.edits(chat: 100).count > before }
        return await telegram.state.edits(chat: 100).last?.text ?? ""
    }

    /// A plain-text mail as Gmail stores it (RFC 5322, CRLF).
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
