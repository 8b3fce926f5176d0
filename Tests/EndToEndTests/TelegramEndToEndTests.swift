import Foundation
import StewardTesting
import Testing

/// The real `steward` binary against the fake Bot API on loopback: what a Telegram user would see.
struct TelegramWorld {
    let fake = FakeTelegramServer()
    let workspace: URL
    let calendarFile: URL
    let environment: [String: String]

    static let owner = FakeTelegramUser(id: 100, firstName: "Ana")
    static let friend = FakeTelegramUser(id: 200, firstName: "Ben")
    static let stranger = FakeTelegramUser(id: 666, firstName: "Eve")

    /// - Parameters:
    ///   - extraEnvironment: added to (and overriding) the Telegram settings.
    ///   - withCalendarFile: gives the owner an .ics calendar account with a few events.
    init(extraEnvironment: [String: String] = [:], withCalendarFile: Bool = true) async throws {
        try await fake.start()
        workspace = try makeWorkspace()
        calendarFile = try writeCalendar(in: workspace)
        environment = [
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": try await fake.baseURL.absoluteString,
            "STEWARD_OWNERS": "telegram:100",
            "STEWARD_ALLOWED_USERS": "telegram:200",
            "STEWARD_HTTP_PORT": "\(try freeLoopbackPort())",
            "STEWARD_LOG_LEVEL": "warning",
        ].merging(extraEnvironment) { $1 }
        guard withCalendarFile else { return }
        let add = try StewardProcess(["accounts", "add", "ics", "--user", "telegram:100", "--file", calendarFile.path],
                                     environment: environment, directory: workspace)
        guard try await add.exitStatus() == 0 else { throw ProcessFailure("accounts add failed: \(add.stderr)") }
    }

    func start() throws -> StewardProcess {
        try StewardProcess(environment: environment, directory: workspace)
    }

    func finish(_ processes: StewardProcess...) async {
        for process in processes where process.process.isRunning { process.kill9() }
        await fake.stop()
        try? FileManager.default.removeItem(at: workspace)
    }

    func messages(to chat: Int64) async -> [FakeTelegramMessage] { await fake.sentMessages(chat: chat) }

    /// Waits until the bot has sent `count` messages to `chat` (or fails), then returns them.
    @discardableResult
    func waitForMessages(_ count: Int, to chat: Int64, timeout: Duration = .seconds(20),
                         _ steward: StewardProcess) async throws -> [FakeTelegramMessage] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let sent = await messages(to: chat)
            if sent.count >= count { return sent }
            try await Task.sleep(for: .milliseconds(30))
        }
        throw ProcessFailure("expected \(count) message(s) to \(chat), got \(await messages(to: chat).map(\.text)); "
                             + "stderr: \(steward.stderr)")
    }

    /// Waits until everything users sent so far has been handled: every update confirmed to the fake (the bot
    /// asks past an update only once it is stored), every stored event answered, every answer sent. After
    /// this, a duplicate or a late extra message would already be in the fake.
    func waitUntilSettled(_ steward: StewardProcess) async throws {
        do {
            try await waitUntil { await fake.state.pendingUpdateCount() == 0 }
            try await MetricsProbe(environment: environment).waitForDrain()
        } catch {
            throw ProcessFailure("the bot did not settle (\(error)); pending updates: "
                                 + "\(await fake.state.pendingUpdateCount()); stderr: \(steward.stderr)")
        }
    }

    func occurrences(_ needle: String) throws -> Int {
        try String(contentsOf: calendarFile, encoding: .utf8).components(separatedBy: needle).count - 1
    }
}

@Suite(.serialized) struct TelegramEndToEndTests {
    @Test func askBookApproveOnceAndRefuseOthers() async throws {
        let world = try await TelegramWorld()
        let steward = try world.start()
        defer { Task { await world.finish(steward) } }

        await world.fake.sendText("/tomorrow", from: TelegramWorld.owner)
        let agenda = try await world.waitForMessages(1, to: 100, steward)
        #expect(agenda[0].text.contains("10:00–11:00 Design review"))
        #expect(await world.fake.requests(method: "setMyCommands").count == 1)

        await world.fake.sendText("/book Dentist tomorrow 15:00 for 45m", from: TelegramWorld.owner)
        let card = try await world.waitForMessages(2, to: 100, steward)[1]
        #expect(card.buttons.flatMap { $0 }.map(\.text) == ["Approve", "Reject"])
        let approve = try #require(card.buttons.first?.first?.callbackData)

        // Someone else tapping the owner's card changes nothing.
        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.friend, data: approve)
        try await waitUntil { await world.fake.state.answeredCallbacks().count == 1 }
        #expect(await world.fake.state.answeredCallbacks()[0].text == "Only the person who asked can decide this.")
        #expect(try world.occurrences("SUMMARY:Dentist") == 0)

        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await world.fake.state.answeredCallbacks().count == 2 }
        try await waitUntil { await world.fake.state.edits(chat: 100).count == 1 }
        let edit = await world.fake.state.edits(chat: 100)[0]
        #expect(edit.text.contains("Added"))
        #expect(edit.buttons.flatMap { $0 }.isEmpty)
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)

        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await world.fake.state.answeredCallbacks().count == 3 }
        #expect(await world.fake.state.answeredCallbacks()[2].text?.hasPrefix("Already done") == true)
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)
        #expect(await world.fake.state.edits(chat: 100).count == 1)
    }

    @Test func anUnknownUserGetsOneRefusalAndNoData() async throws {
        let world = try await TelegramWorld()
        let steward = try world.start()
        defer { Task { await world.finish(steward) } }
        for text in ["/tomorrow", "/week", "what's on tomorrow"] {
            await world.fake.sendText(text, from: TelegramWorld.stranger)
        }
        // The owner's question is answered after the stranger's, so by then all three were handled.
        await world.fake.sendText("/tomorrow", from: TelegramWorld.owner)
        try await world.waitForMessages(1, to: 100, steward)
        let refusals = await world.messages(to: 666)
        #expect(refusals.count == 1)
        #expect(refusals.first?.text.contains("private assistant") == true)
        #expect(refusals.first?.text.contains("Design review") == false)
    }

    @Test func killNineWithAPendingApprovalAndUnsentMessagesLosesNothingAndSendsNothingTwice() async throws {
        let world = try await TelegramWorld()
        let first = try world.start()
        await world.fake.sendText("/book Physio tomorrow 16:00 for 30m", from: TelegramWorld.owner)
        let card = try await world.waitForMessages(1, to: 100, first)[0]
        // Telegram starts failing: the next answers stay in the outbox.
        await world.fake.injectFault(.serverError(status: 502), times: 1_000, method: "sendMessage")
        await world.fake.sendText("/tomorrow", from: TelegramWorld.owner)
        await world.fake.sendText("/week", from: TelegramWorld.owner)
        try await waitUntil { await world.fake.requests(method: "sendMessage").filter { $0.status == 502 }.count >= 1 }
        first.kill9()
        await world.fake.state.clearFaults()

        let second = try world.start()
        defer { Task { await world.finish(second) } }
        let sent = try await world.waitForMessages(3, to: 100, second)
        #expect(sent[1].text.contains("Design review"))
        let approve = try #require(card.buttons.first?.first?.callbackData)
        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await world.fake.state.edits(chat: 100).count == 1 }
        #expect(try world.occurrences("SUMMARY:Physio") == 1)
        // The tap was the last update: once it is stored and everything is answered and sent, a message
        // sent twice (by the restart or the tap) would be in the fake.
        try await world.waitUntilSettled(second)
        #expect(await world.messages(to: 100).count == 3)
    }

    @Test func aRateLimitStormDeliversEveryMessageOnceInOrder() async throws {
        let world = try await TelegramWorld()
        let steward = try world.start()
        defer { Task { await world.finish(steward) } }
        await world.fake.injectFault(.tooManyRequests(retryAfter: 1), times: 3, method: "sendMessage")
        let asks = ["/help", "/tomorrow", "/settings", "/approvals", "/accounts"]
        for ask in asks { await world.fake.sendText(ask, from: TelegramWorld.owner) }
        let sent = try await world.waitForMessages(asks.count, to: 100, timeout: .seconds(40), steward)
        // Nothing left in the outbox: a 429'd send retried after it had in fact gone out would show here.
        try await world.waitUntilSettled(steward)
        #expect(await world.messages(to: 100).count == asks.count)
        #expect(sent[0].text.contains("Here's what I can do"))
        #expect(sent[1].text.contains("Design review"))
        #expect(sent[2].text.contains("timezone"))
        #expect(sent[3].text.contains("approval"))
        #expect(sent[4].text.contains("work"))
    }

    @Test func inAGroupOnlyOurCommandsCountAndDetailsGoToTheDM() async throws {
        let world = try await TelegramWorld()
        let steward = try world.start()
        defer { Task { await world.finish(steward) } }
        let group = FakeTelegramChat.group(id: -4001, title: "Team")
        // Before the owner opened a DM with the bot, a group ask gets a hint and no details.
        await world.fake.sendText("/tomorrow", from: TelegramWorld.owner, in: group)
        let hint = try await world.waitForMessages(1, to: -4001, steward)
        #expect(hint[0].text.contains("/start"))
        #expect(!hint[0].text.contains("Design review"))
        await world.fake.sendText("/start", from: TelegramWorld.owner)
        try await world.waitForMessages(1, to: 100, steward)
        await world.fake.sendText("/tomorrow@SomeOtherBot", from: TelegramWorld.owner, in: group)
        await world.fake.sendText("lunch anyone?", from: TelegramWorld.owner, in: group)
        await world.fake.sendText("/tomorrow@StewardTestBot", from: TelegramWorld.owner, in: group)
        try await world.waitForMessages(2, to: 100, steward)
        let inGroup = try await world.waitForMessages(2, to: -4001, steward)
        // All three group messages stored (or passed over) and handled, every answer sent.
        try await world.waitUntilSettled(steward)
        #expect(await world.messages(to: -4001).count == 2)
        #expect(inGroup[1].text.contains("private message"))
        #expect(await world.messages(to: 100)[1].text.contains("Design review"))
    }
}

@Suite struct TelegramStartupTests {
    @Test func aRejectedTokenStopsWithExitOneAndNeverPrintsTheToken() async throws {
        let world = try await TelegramWorld()
        var environment = world.environment
        environment["TELEGRAM_BOT_TOKEN"] = "123456:secret-token-that-must-not-leak"
        let steward = try StewardProcess(environment: environment, directory: world.workspace)
        defer { Task { await world.finish(steward) } }
        #expect(try await steward.exitStatus() == 1)
        #expect(steward.stderr.lowercased().contains("unauthorized"))
        #expect(!steward.stderr.contains("secret-token-that-must-not-leak"))
        #expect(!steward.stdout.contains("secret-token-that-must-not-leak"))
    }
}
