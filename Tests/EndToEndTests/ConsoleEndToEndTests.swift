import Foundation
import StewardTesting
import Testing


func occurrences(of needle: String, in file: URL) throws -> Int {
    try String(contentsOf: file, encoding: .utf8).components(separatedBy: needle).count - 1
}

@Suite(.serialized) struct ConsoleEndToEndTests {
    @Test func scriptedSessionListsFindsBooksAndApprovesOnce() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let calendarFile = try writeCalendar(in: workspace)
        let add = try StewardProcess(["accounts", "add", "ics", "--user", "console:tester", "--file", calendarFile.path],
                                     environment: [:], directory: workspace)
        #expect(try await add.exitStatus() == 0)
        #expect(add.stdout.contains("added ics:"))

        let steward = try StewardProcess(environment: [:], directory: workspace)
        try await steward.ask("/settings workdays mon-sun", expecting: "Saved")
        let agenda = try await steward.ask("/tomorrow", expecting: "Design review")
        #expect(agenda.contains("10:00–11:00 Design review"))
        let free = try await steward.ask("/free 30m tomorrow", expecting: "–")
        // Working hours start 09:00; the 15-minute buffer before the 10:00 review ends the first slot at 09:45.
        #expect(free.contains("09:00–09:45"))
        let card = try await steward.ask("/book Dentist tomorrow 15:00 for 45m", expecting: "[1] Approve")
        #expect(card.contains("15:00–15:45"))
        #expect(card.contains("[2] Reject"))
        #expect(try occurrences(of: "SUMMARY:Dentist", in: calendarFile) == 0)

        try await steward.ask("1", expecting: "Added")
        #expect(try occurrences(of: "SUMMARY:Dentist", in: calendarFile) == 1)
        // The card is decided: a stray number answers nothing old.
        let again = try await steward.ask("1", expecting: "Nothing is waiting for your answer.")
        #expect(!again.contains("Added"))
        #expect(try occurrences(of: "SUMMARY:Dentist", in: calendarFile) == 1)

        let after = try await steward.ask("/tomorrow", expecting: "Dentist")
        #expect(after.contains("15:00–15:45 Dentist"))
        steward.closeInput()
        #expect(try await steward.exitStatus() == 0)

        let audit = try StewardProcess(["audit"], environment: [:], directory: workspace)
        #expect(try await audit.exitStatus() == 0)
        #expect(audit.stdout.contains("calendar_create_event requested"))
        #expect(audit.stdout.contains("calendar_create_event ok"))
    }

    @Test func aPendingApprovalSurvivesKillNineAndRunsExactlyOnce() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let calendarFile = try writeCalendar(in: workspace)
        let add = try StewardProcess(["accounts", "add", "ics", "--user", "console:tester", "--file", calendarFile.path],
                                     environment: [:], directory: workspace)
        #expect(try await add.exitStatus() == 0)

        let first = try StewardProcess(environment: [:], directory: workspace)
        try await first.ask("/book Physio tomorrow 16:00 for 30m", expecting: "[1] Approve")
        first.kill9()
        #expect(try occurrences(of: "SUMMARY:Physio", in: calendarFile) == 0)

        let second = try StewardProcess(environment: [:], directory: workspace)
        let pending = try await second.ask("/approvals", expecting: "Physio")
        #expect(pending.contains("approve <id>"))
        try await second.ask("approve", expecting: "Added")
        #expect(try occurrences(of: "SUMMARY:Physio", in: calendarFile) == 1)
        try await second.ask("approve", expecting: "Nothing is waiting for your answer.")
        second.closeInput()
        #expect(try await second.exitStatus() == 0)
        #expect(try occurrences(of: "SUMMARY:Physio", in: calendarFile) == 1)
    }

    @Test func rejectingChangesNothing() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let calendarFile = try writeCalendar(in: workspace)
        _ = try await StewardProcess(["accounts", "add", "ics", "--user", "console:tester", "--file", calendarFile.path],
                                     environment: [:], directory: workspace).exitStatus()
        let steward = try StewardProcess(environment: [:], directory: workspace)
        try await steward.ask("/book Gym tomorrow 18:00", expecting: "[2] Reject")
        try await steward.ask("2", expecting: "Rejected")
        try await steward.ask("1", expecting: "Nothing is waiting for your answer.")
        steward.closeInput()
        _ = try await steward.exitStatus()
        #expect(try occurrences(of: "SUMMARY:Gym", in: calendarFile) == 0)
    }

    @Test func firstRunWithoutCalendarGetsTheSampleCalendar() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let steward = try StewardProcess(environment: [:], directory: workspace)
        try await steward.ask("/accounts", expecting: "Sample calendar")
        try await steward.ask("/week", expecting: "Team standup")
        steward.closeInput()
        #expect(try await steward.exitStatus() == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("data/sample-calendar.ics").path))
    }

    @Test func badInputGetsTheUsageLineAndChangesNothing() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let steward = try StewardProcess(environment: [:], directory: workspace)
        try await steward.ask("/free soon", expecting: "/free <duration>")
        try await steward.ask("/settings hours 18:00-09:00", expecting: "hours")
        let settings = try await steward.ask("/settings", expecting: "hours")
        #expect(settings.contains("hours 09:00-18:00"))
        try await steward.ask("/settings timezone Mars/Olympus", expecting: "timezone")
        try await steward.ask("/settings timezone America/New_York", expecting: "Saved")
        steward.closeInput()
        #expect(try await steward.exitStatus() == 0)
    }
}

@Suite struct CommandLineTests {
    @Test func aBadConfigurationValueExitsTwoNamingTheKey() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let steward = try StewardProcess(environment: ["STEWARD_HTTP_PORT": "80a"], directory: workspace)
        #expect(try await steward.exitStatus() == 2)
        #expect(steward.stderr.contains("STEWARD_HTTP_PORT"))
        #expect(steward.stderr.split(separator: "\n").count == 1)
    }

    @Test func aBadValueInBotEnvExitsTwoToo() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        try "STEWARD_TIMEZONE=Nowhere/City\n".write(to: workspace.appendingPathComponent("bot.env"), atomically: true,
                                                     encoding: .utf8)
        let steward = try StewardProcess(["migrate"], environment: ["STEWARD_TIMEZONE": ""], directory: workspace)
        #expect(try await steward.exitStatus() == 2)
        #expect(steward.stderr.contains("STEWARD_TIMEZONE"))
    }

    @Test func unknownCommandsAndBadArgumentsExitTwo() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let bogus = try StewardProcess(["bogus"], environment: [:], directory: workspace)
        #expect(try await bogus.exitStatus() == 2)
        let badUser = try StewardProcess(["accounts", "add", "ics", "--user", "nobody", "--file", "x.ics"],
                                         environment: [:], directory: workspace)
        #expect(try await badUser.exitStatus() == 2)
        #expect(badUser.stderr.contains("--user"))
        let version = try StewardProcess(["version"], environment: [:], directory: workspace)
        #expect(try await version.exitStatus() == 0)
        #expect(version.stdout.hasPrefix("steward "))
        let keygen = try StewardProcess(["keygen"], environment: [:], directory: workspace)
        #expect(try await keygen.exitStatus() == 0)
        let key = keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Data(base64Encoded: key)?.count == 32)
    }
}
