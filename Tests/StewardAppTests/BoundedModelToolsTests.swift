import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// The model chooses its tool arguments freely; whatever it asks, a read stays small and a proposal stays
/// sane. Driven through the fake model server and an .ics calendar, as the app runs them.
@Suite(.serialized) struct BoundedModelToolsTests {
    /// A stand-up every day from Monday 7 Dec 2026 10:00 Berlin, forever, and one that counts a million days.
    static let dailySeries = """
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//Test//Test//EN
    BEGIN:VEVENT
    UID:standup@test
    DTSTART;TZID=Europe/Berlin:20261207T100000
    DTEND;TZID=Europe/Berlin:20261207T101500
    SUMMARY:Stand-up
    RRULE:FREQ=DAILY
    END:VEVENT
    BEGIN:VEVENT
    UID:counted@test
    DTSTART;TZID=Europe/Berlin:20261207T170000
    DTEND;TZID=Europe/Berlin:20261207T171500
    SUMMARY:Counted
    RRULE:FREQ=DAILY;COUNT=1000000
    END:VEVENT
    END:VCALENDAR

    """

    func world(_ server: FakeLLMServer, _ transport: AsyncHTTPTransport) async throws -> World {
        var world = try await World()
        try Self.dailySeries.write(to: world.file, atomically: true, encoding: .utf8)
        world.orchestrator = world.orchestrator(freeTextPlanner: LLMFreeTextPlanner(
            model: try await fakeModelClient(server, transport), dailyTokenBudget: nil,
            directory: world.orchestrator.calendars, users: world.store, logger: Logger(label: "test")))
        return world
    }

    /// What Steward answered the model's tool call, as the model received it.
    func toolReply(_ server: FakeLLMServer) async throws -> String {
        let second = try #require(await server.state.requests.dropFirst().first)
        let tool = try #require(second.messages.last { $0["role"]?.stringValue == "tool" })
        return try #require(tool["content"]?.stringValue)
    }

    /// Resident memory of this process, from /proc/self/status (kB → bytes).
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ").dropFirst().first ?? "")) * 1024
    }

    @Test func eightThousandYearsOfADailySeriesAreReadAs92DaysAndMemoryStaysFlat() async throws {
        try await withFakeModel { server, transport in
            let world = try await world(server, transport)
            await server.state.enqueue(
                .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_list_events",
                                            arguments: #"{"start":"2026-12-07T00:00:00+01:00","end":"9999-12-31T00:00:00+01:00"}"#)]),
                .text("You have a stand-up every day."))
            let before = try Self.residentBytes()
            let replies = await world.orchestrator.handle(world.event(.message("what's on my calendar, ever?")))
            let growth = try Self.residentBytes() - before
            #expect(replies.texts.contains("You have a stand-up every day."))
            // The whole process is measured and other suites run beside this one (up to ~260 MB seen), so
            // the bound is loose; the unbounded expansion this guards against passed 1.5 GB in seconds.
            #expect(growth < 768 * 1024 * 1024, "resident memory grew by \(growth / 1_048_576) MB")

            let reply = try await toolReply(server)
            #expect(reply.contains("note: span clamped to 92 days from 2026-12-07T00:00:00+01:00 to 2027-03-09T00:00:00+01:00"),
                    "\(reply.prefix(400))")
            #expect(reply.utf8.count <= ToolLimits.maxBytes)
            // 92 days of two daily series: what fits is listed in order, the rest is counted.
            #expect(reply.contains("2026-12-07T10:00:00+01:00–2026-12-07T10:15:00+01:00 | Stand-up"))
            #expect(!reply.contains("2027-03-09T10:00"), "nothing after the clamped end")
            let listed = reply.split(separator: "\n").filter { $0.hasPrefix("id: ") }.count
            let leftOut = try #require(Self.leftOut(reply))
            #expect(leftOut.total == 184 && leftOut.count == 184 - listed, "\(leftOut) with \(listed) listed")
        }
    }

    /// `note: 84 of 184 events left out …` → (84, 184).
    static func leftOut(_ text: String) -> (count: Int, total: Int)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("note: ") && $0.contains("left out") })
        else { return nil }
        let words = line.dropFirst("note: ".count).split(separator: " ")
        guard words.count > 3, words[1] == "of", let count = Int(words[0]), let total = Int(words[2]) else { return nil }
        return (count, total)
    }

    @Test func aProposedEventLongerThanTwoWeeksIsRefusedToTheModelAndMakesNoCard() async throws {
        try await withFakeModel { server, transport in
            let world = try await world(server, transport)
            await server.state.enqueue(
                .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_create_event",
                                            arguments: #"{"title":"Forever","start":"2026-12-07T10:00:00+01:00","end":"9999-12-07T10:00:00+01:00"}"#)]),
                .text("I couldn't book that."))
            let replies = await world.orchestrator.handle(world.event(.message("hmm, put my sabbatical in, the whole thing")))
            let reply = try await toolReply(server)
            #expect(reply.contains("calendar_create_event refused"), "\(reply)")
            #expect(reply.contains("at most 14 days"))
            #expect(replies.allSatisfy { delivery in
                if case .send(_, let message) = delivery.delivery { return message.buttons.isEmpty }
                return true
            }, "no card")
            #expect(try await world.store.pending(of: 1).isEmpty)
            #expect(replies.texts.contains("I couldn't book that."))
        }
    }

    @Test func aProposedMoveToASpanLongerThanTwoWeeksIsRefused() async throws {
        try await withFakeModel { server, transport in
            let world = try await world(server, transport)
            await server.state.enqueue(
                .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_move_event",
                                            arguments: #"{"event_id":"standup@test#2026-12-08T09:00:00Z","start":"2026-12-08T10:00:00+01:00","end":"2026-12-23T10:00:00+01:00"}"#)]),
                .text("Not moved."))
            let replies = await world.orchestrator.handle(world.event(.message("stretch tomorrow's stand-up")))
            #expect(try await toolReply(server).contains("the event would last 15 days"))
            #expect(try await world.store.pending(of: 1).isEmpty)
            #expect(replies.texts.contains("Not moved."))
        }
    }
}
