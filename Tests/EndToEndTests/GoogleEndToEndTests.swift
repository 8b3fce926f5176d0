import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// The real binary, a Telegram owner and a fake Google: connect through the OAuth flow, answer from the
/// local copy, book through the approval gate. (Expired and revoked tokens: GoogleAppTests, in-process.)
struct GoogleWorld {
    let telegram: TelegramWorld
    let google = FakeGoogleServer()
    static let email = "ana@example.com"
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    init(syncSeconds: Int = 60, extraEnvironment: [String: String] = [:]) async throws {
        try await google.start()
        let port = try freeLoopbackPort()
        telegram = try await TelegramWorld(extraEnvironment: [
            "GOOGLE_CLIENT_ID": google.clientID,
            "GOOGLE_CLIENT_SECRET": google.clientSecret,
            "GOOGLE_AUTH_URL": try await google.authorizationURL.absoluteString,
            "GOOGLE_TOKEN_URL": try await google.tokenURL.absoluteString,
            "GOOGLE_API_URL": try await google.apiURL.absoluteString,
            "STEWARD_HTTP_PORT": "\(port)",
            "STEWARD_PUBLIC_URL": "http://127.0.0.1:\(port)",
            "STEWARD_SECRET_KEY": Data((0..<32).map { UInt8($0) }).base64EncodedString(),
            "STEWARD_TIMEZONE": "Europe/Berlin",
            "STEWARD_CALENDAR_SYNC_SECONDS": "\(syncSeconds)",
        ].merging(extraEnvironment) { $1 }, withCalendarFile: false)
        await google.state.registerRedirectURI("http://127.0.0.1:\(port)/oauth/google/callback")
        await google.state.addAccount(email: Self.email, timeZone: "Europe/Berlin")
    }

    func finish(_ steward: StewardProcess) async {
        await telegram.finish(steward)
        await google.stop()
    }

    /// Today's date in Berlin at `hour:minute`, as an instant.
    static func today(_ hour: Int, _ minute: Int = 0, plusDays days: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
    }

    static func isoDay(_ date: Date, in zone: TimeZone = berlin) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }

    /// `HH:mm` of `date` in Berlin.
    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = berlin
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }

    /// The next day in Berlin that is 23 hours long (clocks go forward).
    static func nextDSTStart() -> Date {
        (1...370).lazy.map { today(12, plusDays: $0) }.first { noon in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = berlin
            let start = calendar.startOfDay(for: noon)
            return calendar.date(byAdding: .day, value: 1, to: start)!.timeIntervalSince(start) == 23 * 3600
        }!
    }

    /// Sends `/connect google`, follows the link as Ana's browser would, and returns the page Steward showed.
    func connect(_ steward: StewardProcess, expectingMessages count: Int) async throws -> (status: Int, page: String) {
        await telegram.fake.sendText("/connect google", from: TelegramWorld.owner)
        let messages = try await telegram.waitForMessages(count, to: 100, steward)
        let text = messages[count - 1].text
        let link = try #require(text.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http") }
            .flatMap { URL(string: String($0)) }, "no link in \(text)")
        let consent = try await google.state.authorize(link, as: Self.email)
        let (data, response) = try await URLSession.shared.data(from: consent.redirect)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.serialized) struct GoogleEndToEndTests {
    @Test func connectThenTodayFromTheCopyThenBookOnceThroughApproval() async throws {
        let world = try await GoogleWorld()
        let steward = try world.telegram.start()
        defer { Task { await world.finish(steward) } }
        let calendar = GoogleWorld.email
        let nyc = TimeZone(identifier: "America/New_York")!
        var newYork = Calendar(identifier: .gregorian)
        newYork.timeZone = nyc
        let callStart = newYork.date(bySettingHour: 9, minute: 0, second: 0, of: GoogleWorld.today(12))!
        _ = try await world.google.state.addTimedEvent(calendarID: calendar, summary: "Standup", start: GoogleWorld.today(10),
                                                       end: GoogleWorld.today(10, 15), timeZone: "Europe/Berlin")
        _ = try await world.google.state.addTimedEvent(calendarID: calendar, summary: "Call with NYC", start: callStart,
                                                       end: callStart.addingTimeInterval(1800), timeZone: "America/New_York")
        _ = try await world.google.state.addAllDayEvent(calendarID: calendar, summary: "Team offsite",
                                                        firstDay: GoogleWorld.isoDay(GoogleWorld.today(12)))
        _ = try await world.google.state.addWeeklyEvent(calendarID: calendar, summary: "Weekly 1:1",
                                                        firstStart: GoogleWorld.today(16, plusDays: -21), duration: 1800,
                                                        timeZone: "Europe/Berlin")
        let dstDay = GoogleWorld.nextDSTStart()
        let dstEvent = GoogleWorld.today(10, plusDays: Int((dstDay.timeIntervalSince(GoogleWorld.today(12)) / 86_400).rounded()))
        _ = try await world.google.state.addTimedEvent(calendarID: calendar, summary: "Spring forward brunch", start: dstEvent,
                                                       end: dstEvent.addingTimeInterval(3600), timeZone: "Europe/Berlin")

        let (status, page) = try await world.connect(steward, expectingMessages: 1)
        #expect(status == 200 && page.contains("Connected"))
        let connected = try await world.telegram.waitForMessages(2, to: 100, steward)[1]
        #expect(connected.text.contains("Connected ana@example.com"))

        // Reusing the link: a clear page, nothing new stored.
        await world.telegram.fake.sendText("/today", from: TelegramWorld.owner)
        let today = try await world.telegram.waitForMessages(3, to: 100, steward)[2].text
        #expect(today.contains("Team offsite"))
        #expect(today.contains("10:00–10:15 Standup"))
        #expect(today.contains("\(GoogleWorld.clock(callStart))–\(GoogleWorld.clock(callStart.addingTimeInterval(1800))) Call with NYC"))
        #expect(today.contains("16:00–16:30 Weekly 1:1"))
        #expect(!today.contains("Spring forward"))
        if let offsite = today.range(of: "Team offsite"), let standup = today.range(of: "Standup") {
            #expect(offsite.lowerBound < standup.lowerBound, "all-day events come first")
        }

        await world.telegram.fake.sendText("/agenda \(GoogleWorld.isoDay(dstDay))", from: TelegramWorld.owner)
        let dst = try await world.telegram.waitForMessages(4, to: 100, steward)[3].text
        #expect(dst.contains("10:00–11:00 Spring forward brunch"))

        // Answers come from the copy: asking again costs Google nothing.
        let listsBefore = await world.google.state.requests("calendar.events.list").count
        await world.telegram.fake.sendText("/today", from: TelegramWorld.owner)
        _ = try await world.telegram.waitForMessages(5, to: 100, steward)
        #expect(await world.google.state.requests("calendar.events.list").count == listsBefore)

        await world.telegram.fake.sendText("/book Dentist tomorrow 15:00 for 45m", from: TelegramWorld.owner)
        let card = try await world.telegram.waitForMessages(6, to: 100, steward)[5]
        #expect(card.buttons.flatMap { $0 }.map(\.text) == ["Approve", "Reject"])
        let approve = try #require(card.buttons.first?.first?.callbackData)
        await world.telegram.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await world.telegram.fake.state.edits(chat: 100).count == 1 }
        await world.telegram.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await world.telegram.fake.state.answeredCallbacks().count == 2 }
        let inserts = await world.google.state.requests("calendar.events.insert")
        #expect(inserts.count == 1)
        let body = try #require(inserts.first?.body?.description)
        #expect(body.contains("Dentist"))
        #expect(body.contains("Europe/Berlin"))
        #expect(await world.google.state.responseShapeProblems.isEmpty)

        // The new event is in the next answer at once.
        await world.telegram.fake.sendText("/tomorrow", from: TelegramWorld.owner)
        let tomorrow = try await world.telegram.waitForMessages(7, to: 100, steward)[6].text
        #expect(tomorrow.contains("15:00–15:45 Dentist"))
    }

    @Test func aForgedOrReusedStateGetsAClearPageAndStoresNothing() async throws {
        let world = try await GoogleWorld()
        let steward = try world.telegram.start()
        defer { Task { await world.finish(steward) } }
        // Steward must be listening before the browser arrives.
        await world.telegram.fake.sendText("/accounts", from: TelegramWorld.owner)
        try await world.telegram.waitForMessages(1, to: 100, steward)
        let port = world.telegram.environment["STEWARD_HTTP_PORT"]!
        let forged = URL(string: "http://127.0.0.1:\(port)/oauth/google/callback?state=forged&code=abc")!
        let (data, response) = try await URLSession.shared.data(from: forged)
        #expect((response as? HTTPURLResponse)?.statusCode == 400)
        #expect(String(decoding: data, as: UTF8.self).contains("/connect google"))
        #expect(await world.google.state.requests("oauth.token").isEmpty)

        let (status, _) = try await world.connect(steward, expectingMessages: 2)
        #expect(status == 200)
        try await world.telegram.waitForMessages(3, to: 100, steward)
        await world.telegram.fake.sendText("/accounts", from: TelegramWorld.owner)
        let accounts = try await world.telegram.waitForMessages(4, to: 100, steward)[3].text
        #expect(accounts.contains("ana@example.com — ok"))
    }
}
