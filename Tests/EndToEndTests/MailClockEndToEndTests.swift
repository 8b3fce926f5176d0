import Foundation
import StewardTesting
import Testing

/// Mail triage with the real binary on a test clock (`STEWARD_TEST_CLOCK_FILE`): an evening, a night with
/// quiet hours and a restart, and a morning, in seconds. Urgent mail is alerted within one triage cycle and
/// exactly once; a non-VIP's is held through quiet hours; the digest comes at its local hour; the model
/// rates what rules can't (in one request) and writes Draft reply's text, which is sent only on Approve.
@Suite(.serialized) struct MailClockEndToEndTests {
    /// Moves Steward's clock: the file is replaced whole, so it is never read half-written.
    struct TestClock {
        let file: URL
        private(set) var now: Date

        init(file: URL, now: Date) throws {
            self.file = file
            self.now = now
            try write()
        }

        mutating func set(_ date: Date) throws {
            now = date
            try write()
        }

        mutating func advance(minutes: Int) throws { try set(now.addingTimeInterval(TimeInterval(minutes * 60))) }

        private func write() throws {
            try Data(ISO8601DateFormatter().string(from: now).utf8).write(to: file, options: .atomic)
        }
    }

    static func mail(_ from: String, _ subject: String, _ body: String, id: String) -> String {
        TestMail.mail(from: from, subject: subject, body: body, id: id)
    }

    @Test func anEveningANightAndAMorningOfMail() async throws {
        let model = FakeLLMServer()
        try await model.start()
        let clockFile = FileManager.default.temporaryDirectory.appendingPathComponent("steward-clock-\(UUID().uuidString)")
        // Yesterday evening in Berlin: in the past, so every delivery is due at once by real time too.
        var clock = try TestClock(file: clockFile, now: GoogleWorld.today(21, 30, plusDays: -1))
        let world = try await GoogleWorld(extraEnvironment: [
            "STEWARD_TEST_CLOCK_FILE": clockFile.path,
            "LLM_BASE_URL": try await model.baseURL.absoluteString, "LLM_MODEL": "fake-model"])
        var steward = try await world.startConnected()
        defer {
            let running = steward
            Task { await world.finish(running); await model.stop(); try? FileManager.default.removeItem(at: clockFile) }
        }
        _ = try await world.ask("/settings quiet 22:00-07:00", answerNumber: 3, steward)
        _ = try await world.ask("/settings triage 10m", answerNumber: 4, steward)
        _ = try await world.ask("/settings vip add boss@example.com", answerNumber: 5, steward)
        _ = try await world.ask("/settings digest 07:30", answerNumber: 6, steward)
        try await world.connectGmail(steward, linkNumber: 7)
        let alerts = { await world.telegram.messages(to: 100).filter { $0.text.hasPrefix("Urgent mail") } }
        func alertCount(about subject: String) async -> Int { await alerts().filter { $0.text.contains(subject) }.count }

        // 21:30: a client's urgent mail and a colleague's that no rule decides. One triage cycle later:
        // the alert, and one model request rating the other mail.
        try await world.google.state.addMail(to: GoogleWorld.email, raw: Self.mail(
            "Client <client@acme.example>", "Contract signature needed today", "Please sign before 17:00.", id: "c1"))
        let lunch = try await world.google.state.addMail(to: GoogleWorld.email, raw: Self.mail(
            "Kim <kim@example.com>", "Lunch on Friday?", "Pizza place or the new ramen bar?", id: "k1"))
        await model.state.enqueue(.text("1: low"))
        try clock.advance(minutes: 10)
        try await waitUntil(timeout: .seconds(30)) { await alertCount(about: "Contract signature") == 1 }
        let rating = try #require(await model.state.requests.first)
        let asked = rating.messages.compactMap { $0["content"]?.stringValue }.joined(separator: "\n")
        #expect(asked.contains("Triage this mail") && asked.contains("<untrusted") && asked.contains("Lunch on Friday?"))
        #expect(!asked.contains("Contract signature"), "a mail the rules decided never reaches the model")

        // 22:30, quiet hours: the VIP's urgent mail is alerted, the other urgent one is held.
        try clock.set(GoogleWorld.today(22, 30, plusDays: -1))
        try await world.google.state.addMail(to: GoogleWorld.email, raw: Self.mail(
            "Boss <boss@example.com>", "Server down, call me ASAP", "The shop is offline.", id: "b1"))
        try await world.google.state.addMail(to: GoogleWorld.email, raw: Self.mail(
            "Billing <billing@vendor.example>", "Invoice overdue, pay by EOD today", "Final notice.", id: "v1"))
        try clock.advance(minutes: 10)
        try await waitUntil(timeout: .seconds(30)) { await alertCount(about: "Server down") == 1 }
        #expect(await alertCount(about: "Invoice overdue") == 0, "held: it came in during quiet hours")

        // kill -9 in the night and a restart; another cycle passes in quiet hours: nothing repeats or leaks.
        // A reply in the same chat goes out only after the alert was recorded as sent: a kill before that
        // record is the one window where any sender (Telegram has no idempotency key) repeats a message,
        // and not what this test is about.
        func help(_ times: Int) async throws {
            await world.telegram.fake.sendText("/help", from: TelegramWorld.owner)
            try await waitUntil(timeout: .seconds(30)) {
                await world.telegram.messages(to: 100).filter { $0.text.contains("Here's what I can do") }.count >= times
            }
        }
        try await help(1)
        steward.kill9()
        // The /help answer itself may go out twice (the kill can beat its record); it is not counted below.
        steward = try world.telegram.start()
        try await help(2)
        // A triage cycle in this process, seen in /metrics, then everything it queued sent.
        let metrics = try MetricsProbe(environment: world.telegram.environment)
        let cycles = await metrics.value("steward_triage_cycles_total") ?? 0
        try clock.advance(minutes: 20)
        try await waitUntil { await (metrics.value("steward_triage_cycles_total") ?? 0) > cycles }
        // The job's next run begins only after this one ended (one loop per job): then it has queued all it will.
        let triageRuns = await metrics.runs(of: "mail-triage")
        try clock.advance(minutes: 1)
        try await metrics.waitForRuns(of: "mail-triage", moreThan: triageRuns)
        try await metrics.waitForDrain()
        #expect(await alerts().count == 2)

        // 07:10, quiet hours over: the held alert, once; then the digest at 07:30, once.
        try clock.set(GoogleWorld.today(7, 10))
        try await waitUntil(timeout: .seconds(30)) { await alertCount(about: "Invoice overdue") == 1 }
        let digests = { await world.telegram.messages(to: 100).filter { $0.text.hasPrefix("Your day") } }
        #expect(await digests().isEmpty, "not before 07:30")
        try clock.set(GoogleWorld.today(7, 31))
        try await waitUntil(timeout: .seconds(30)) { await !digests().isEmpty }
        let digest = try #require(await digests().first).text
        #expect(digest.contains("Urgent (3)") && digest.contains("Can wait (1)"), "\(digest)")
        if let urgent = digest.range(of: "Urgent (3)"), let later = digest.range(of: "Can wait (1)") {
            #expect(urgent.lowerBound < later.lowerBound, "most important first")
        }
        // Two more digest checks (the second begun means the first finished), and nothing left to send.
        let digestRuns = await metrics.runs(of: "daily-digest")
        try clock.advance(minutes: 15)
        try await metrics.waitForRuns(of: "daily-digest", moreThan: digestRuns)
        try clock.advance(minutes: 1)
        try await metrics.waitForRuns(of: "daily-digest", moreThan: digestRuns + 1)
        try await metrics.waitForDrain()
        #expect(await digests().count == 1)
        for subject in ["Contract signature", "Server down", "Invoice overdue"] {
            #expect(await alertCount(about: subject) == 1, "\(subject): one alert")
        }

        // Draft reply on the first alert: the model writes the text from the mail (shown to it as untrusted
        // data), the card shows it, and Approve sends it once.
        await model.state.enqueue(.text("Hi, I'll sign it this morning.\n\nAna"))
        let contract = try #require(await alerts().first { $0.text.contains("Contract signature") })
        let before = await world.telegram.messages(to: 100).count
        try await world.tap(contract, "Draft reply")
        let card = try await world.telegram.waitForMessages(before + 1, to: 100, steward).last!
        #expect(card.text.contains("To: Client <client@acme.example>") && card.text.contains("I'll sign it this morning."),
                "\(card.text)")
        let writing = await model.state.requests.last?.messages.compactMap { $0["content"]?.stringValue }.joined() ?? ""
        #expect(writing.contains("<untrusted") && writing.contains("Please sign before 17:00."))
        #expect(await world.google.state.sentMail(of: GoogleWorld.email).isEmpty)
        #expect(try await world.approve(card).contains("✓ Sent"))
        let sent = await world.google.state.sentMail(of: GoogleWorld.email)
        #expect(sent.count == 1 && String(decoding: sent[0], as: UTF8.self).contains("I'll sign it this morning."))

        // mail_read: the model reads one mail, fetched from Gmail for it (bodies are never stored) and
        // handed over as untrusted data.
        await model.state.enqueue(
            .toolCalls([FakeLLMToolCall(id: "r1", name: "mail_read", arguments: #"{"message_id":"\#(lunch)"}"#)]),
            .text("Kim asks: pizza or ramen on Friday?"))
        await world.telegram.fake.sendText("hmm, what does Kim want?", from: TelegramWorld.owner)
        try await waitUntil(timeout: .seconds(30)) {
            await world.telegram.messages(to: 100).contains { $0.text.contains("Kim asks: pizza or ramen") }
        }
        let read = await model.state.requests.last?.messages.last { $0["role"]?.stringValue == "tool" }?["content"]?.stringValue
        #expect(read?.contains("<untrusted") == true && read?.contains("Pizza place or the new ramen bar?") == true,
                "\(read ?? "no tool answer")")
    }
}
