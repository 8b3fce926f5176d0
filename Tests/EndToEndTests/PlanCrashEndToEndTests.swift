import Foundation
import StewardTesting
import Testing

/// The real binary, killed with SIGKILL in the middle of a 20-step plan: the 8th move reached Google but
/// its answer never came back. After the restart the plan goes on where it stopped; Google receives
/// each of the 20 moves exactly once, in order.
@Suite(.serialized) struct PlanCrashEndToEndTests {
    /// "thursday": the weekday `days` from today in Berlin, as the user would type it.
    static func weekday(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = GoogleWorld.berlin
        formatter.dateFormat = "EEEE"
        return formatter.string(from: GoogleWorld.today(12, plusDays: days)).lowercased()
    }

    /// The event ids of the writes (`calendar.events.patch`, `.delete`) Google applied, in the order they arrived.
    static func applied(_ world: GoogleWorld, _ method: String = "calendar.events.patch") async -> [String] {
        await world.google.state.requests(method).filter { $0.status < 300 }
            .compactMap { $0.path.split(separator: "/").last.map(String.init) }
    }

    /// 20 ten-minute events from 08:00, the day after tomorrow; their ids in time order.
    static func seed(_ world: GoogleWorld) async throws -> [String] {
        var ids: [String] = []
        for number in 1...20 {
            let start = GoogleWorld.today(8, plusDays: 2).addingTimeInterval(Double(number - 1) * 600)
            ids.append(try await world.google.state.addTimedEvent(
                calendarID: GoogleWorld.email, summary: String(format: "Event %02d", number), start: start,
                end: start.addingTimeInterval(600), timeZone: "Europe/Berlin"))
        }
        return ids
    }

    @Test func killedAfterTheEighthMoveTheRestartFinishesThePlanWithNoMoveTwice() async throws {
        let world = try await GoogleWorld()
        let ids = try await Self.seed(world)
        var steward = try await world.startConnected()
        defer { Task { [steward] in await world.finish(steward) } }

        let card = try await world.ask("move everything on \(Self.weekday(2)) to \(Self.weekday(3))", answerNumber: 3,
                                       steward)
        #expect(card.text.contains("Move 20 events from"), "\(card.text)")
        let approve = try #require(card.buttons.flatMap { $0 }.first { $0.text == "Approve all" }?.callbackData)
        // The 8th move is applied by Google, and then its answer hangs: Steward waits for it when it dies.
        await world.google.state.stallAfterApplying(write: 8)
        await world.telegram.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner,
                                                  data: approve)
        try await waitUntil(timeout: .seconds(30)) { await Self.applied(world).count == 8 }
        steward.kill9()
        #expect(await Self.applied(world) == Array(ids.prefix(8)))

        steward = try world.telegram.start()
        // The card itself is edited with the outcome, as after a tap.
        try await waitUntil(timeout: .seconds(60)) {
            await world.telegram.fake.state.edits(chat: 100).contains { $0.messageID == card.messageID && $0.text.contains("All 20 done") }
        }
        #expect(await Self.applied(world) == ids, "each event moved once, in the card's order")
        let moved = try await world.ask("/agenda \(Self.weekday(3))", answerNumber:
                                            await world.telegram.messages(to: 100).count + 1, steward)
        #expect(moved.text.contains("08:00–08:10 Event 01") && moved.text.contains("11:10–11:20 Event 20"),
                "\(moved.text)")
    }

    /// Cancellations can't be repeated harmlessly (a second delete of a gone event is a "no longer in your
    /// calendar" failure): the step found running is checked at Google first, and the done ones are skipped.
    @Test func killedAfterTheEighthCancelTheRestartCancelsTheRestAndReportsAllDone() async throws {
        let world = try await GoogleWorld()
        let ids = try await Self.seed(world)
        var steward = try await world.startConnected()
        defer { Task { [steward] in await world.finish(steward) } }

        let card = try await world.ask("cancel all my meetings on \(Self.weekday(2))", answerNumber: 3, steward)
        #expect(card.text.contains("Cancel 20 events on"), "\(card.text)")
        let approve = try #require(card.buttons.flatMap { $0 }.first { $0.text == "Approve all" }?.callbackData)
        await world.google.state.stallAfterApplying(write: 8)
        await world.telegram.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner,
                                                  data: approve)
        try await waitUntil(timeout: .seconds(30)) { await Self.applied(world, "calendar.events.delete").count == 8 }
        steward.kill9()

        steward = try world.telegram.start()
        // The card itself is edited with the outcome, as after a tap.
        try await waitUntil(timeout: .seconds(60)) {
            await world.telegram.fake.state.edits(chat: 100).contains { $0.messageID == card.messageID && $0.text.contains("All 20 done") }
        }
        #expect(await Self.applied(world, "calendar.events.delete") == ids, "each event deleted once, in order")
        #expect(await !world.telegram.fake.state.edits(chat: 100).contains { $0.text.contains("failed") })
    }
}
