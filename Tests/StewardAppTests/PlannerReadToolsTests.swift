import Foundation
import LLMPlanner
import StewardCore
import StewardStorage
import Testing
@testable import StewardApp

/// The planner's own read tools: `mail_search` looks only at the owner's triaged mail (sender, subject,
/// date — no bodies), leaves spam out, and its results are wrapped as untrusted data.
@Suite struct PlannerReadToolsTests {
    /// A Google account with mail on and no events.
    struct MailOnlyDirectory: CalendarDirectory {
        let account: Account
        func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] {
            user == account.userID ? [(account, NoEvents())] : []
        }
    }

    struct NoEvents: CalendarProvider {
        let accountID = "google:1"
        func calendars() async throws -> [CalendarInfo] { [] }
        func events(in window: DateInterval) async throws -> [CalendarEvent] { [] }
        func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
            throw CalendarError("read-only in this test")
        }
    }

    static func call(_ name: String, _ arguments: String) throws -> ValidatedToolCall {
        try ToolRegistry.steward.validate(ToolCall(id: "c1", name: name, arguments: arguments)).get()
    }

    @Test func mailSearchFindsBySenderOrSubjectNewestFirstWithoutSpam() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-tools-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let user = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "100"), displayName: "Owner",
                                              role: .owner, defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        let account = try await store.addAccount(userID: user.id, kind: "google", label: "Work", options: ["mail": "on"],
                                                 secret: nil, at: Date())
        let now = Date()
        for (id, from, subject, minutesAgo, category) in [
            ("m1", "Sarah Lee <sarah@example.com>", "Thursday's meeting", 90, MailCategory.needsReply),
            ("m2", "Sarah Lee <sarah@example.com>", "Lunch?", 30, .fyi),
            ("m3", "Prize Desk <win@spam.example>", "Sarah, you won", 10, .spam),
            ("m4", "Bob <bob@example.com>", "Invoice", 5, .canWait),
        ] {
            _ = try await store.record(TriagedMail(accountID: account.id, messageID: id, from: from, subject: subject,
                                                   receivedAt: now.addingTimeInterval(TimeInterval(-minutesAgo * 60)),
                                                   category: category, reason: "test"))
        }
        let tools = PlannerReadTools(directory: MailOnlyDirectory(account: account), mail: store)
        let sarah = try await tools.run(Self.call("mail_search", #"{"query":"from:sarah"}"#), userID: String(user.id))
        guard case .mails(let found) = sarah else { Issue.record("expected mail, got \(sarah)"); return }
        #expect(found.map(\.id) == ["m2", "m1"])
        let meeting = try await tools.run(Self.call("mail_search", #"{"query":"sarah thursday","max_results":5}"#),
                                          userID: String(user.id))
        guard case .mails(let one) = meeting else { Issue.record("expected mail, got \(meeting)"); return }
        #expect(one.map(\.id) == ["m1"])
        let rendered = PromptBuilder.render(meeting, zone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(rendered.hasPrefix("<untrusted") && rendered.contains("Thursday's meeting"))

        // Someone else's mail is never searched, and without mail the model is told how to connect it.
        let stranger = try await tools.run(Self.call("mail_search", #"{"query":"sarah"}"#), userID: "999")
        #expect(stranger == .note("Mail isn't connected; the owner can connect it with /connect gmail."))
        let noMail = PlannerReadTools(directory: MailOnlyDirectory(account: account), mail: nil)
        #expect(try await noMail.run(Self.call("mail_search", #"{"query":"sarah"}"#), userID: String(user.id))
                == .note("Mail isn't connected; the owner can connect it with /connect gmail."))
    }

    /// One meeting on Monday 7 Jan 2030, 09:00–10:00 Berlin.
    struct OneMeeting: CalendarProvider {
        let accountID = "google:1"
        func calendars() async throws -> [CalendarInfo] { [] }
        func events(in window: DateInterval) async throws -> [CalendarEvent] {
            let start = try Date("2030-01-07T09:00:00+01:00", strategy: .iso8601)
            return [CalendarEvent(id: "e1", title: "Standup", start: .dateTime(start, timeZone: "Europe/Berlin"),
                                  end: .dateTime(start.addingTimeInterval(3600), timeZone: "Europe/Berlin"),
                                  calendarID: "primary")]
        }
        func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
            throw CalendarError("read-only in this test")
        }
    }

    struct OneCalendar: CalendarDirectory {
        let account: Account
        func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] {
            [(account, OneMeeting())]
        }
    }

    @Test func freeSlotsKeepTheOwnersBufferAndSayWhoCouldNotBeChecked() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-tools-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let user = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "100"), displayName: "Owner",
                                              role: .owner, defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        let account = Account(id: 1, userID: user.id, kind: "ics", label: "Home", options: [:], createdAt: Date())
        let tools = PlannerReadTools(directory: OneCalendar(account: account), mail: nil, users: store)
        let output = try await tools.run(Self.call("calendar_find_free_slots", """
            {"duration_minutes":30,"start":"2030-01-07T08:00:00+01:00","end":"2030-01-07T11:00:00+01:00","attendees":["sarah@example.com"]}
            """), userID: String(user.id))
        guard case .note(let text) = output else { Issue.record("expected a note, got \(output)"); return }
        // Working hours start at 09:00; the standup and its 15-minute buffer take 09:00–10:15.
        #expect(text.hasPrefix("free: 2030-01-07T10:15:00+01:00–2030-01-07T11:00:00+01:00"), "\(text)")
        #expect(text.contains("needs a Google account"), "an .ics calendar can't see Sarah's: \(text)")
    }
}
