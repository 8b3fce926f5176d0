import Foundation
import Testing
@testable import StewardCore

/// Each handler answers with only its own dependencies: no user store, approvals or planner behind it.
@Suite struct HandlerIsolationTests {
    static let owner = User(id: 1, displayName: "Owner", role: .owner)
    static let dm = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let event = InboundEvent(id: "e1", sender: ChatIdentity(platform: .telegram, userID: "100"), chat: dm,
                                    kind: .message(""), receivedAt: CoreWorld.now)
    static let settings = UserSettings(timeZone: "Europe/Berlin")

    static func directory(_ events: [CalendarEvent]) -> FakeDirectory {
        FakeDirectory(entries: [(Account(id: 1, userID: 1, kind: "cal", label: "Work", options: ["mail": "on"],
                                         createdAt: CoreWorld.now), FakeCalendar(accountID: "cal:1", events: events))])
    }

    @Test func answersNeedOnlyTheCalendarsAndAClock() async throws {
        let answers = AnswersHandler(calendars: Self.directory([
            CoreWorld.event("d", "Dentist", CoreWorld.at(2026, 11, 21, 15)),
        ]), now: { CoreWorld.now })
        var reply = Reply(event: Self.event)
        try await answers.answer(.next, user: Self.owner, settings: Self.settings, reply: &reply)
        try await answers.answer(.checkFree(start: CoreWorld.at(2026, 11, 21, 15, 30), minutes: 30),
                                 user: Self.owner, settings: Self.settings, reply: &reply)
        #expect(reply.deliveries.text.contains("Next: "))
        #expect(reply.deliveries.text.contains("Dentist"))
        #expect(reply.deliveries.text.contains("overlaps"))
        // Not a schedule question: nothing is said.
        var other = Reply(event: Self.event)
        try await answers.answer(.help, user: Self.owner, settings: Self.settings, reply: &other)
        #expect(other.deliveries.isEmpty)
    }

    @Test func theInboxWithoutATriageLogSaysMailIsNotConnected() async throws {
        let inbox = InboxHandler(calendars: Self.directory([]), mail: nil, kinds: AccountKinds(), now: { CoreWorld.now })
        var reply = Reply(event: Self.event)
        try await inbox.answer(user: Self.owner, reply: &reply)
        #expect(reply.deliveries.text == "Mail isn't connected yet.")
        #expect(try await inbox.recentMail(of: 1, since: CoreWorld.now) == nil)
    }

    @Test func accountsWithoutAConnectorSayWhatTheRegistrationSays() async throws {
        let accounts = AccountsHandler(users: MemoryStore(), calendars: Self.directory([]), connector: nil,
                                       kinds: AccountKinds([AccountKind(name: "cal", features: [.calendar],
                                                                        unavailable: "Not on this server.")]))
        var reply = Reply(event: Self.event)
        try await accounts.connect("cal", user: Self.owner, reply: &reply)
        try await accounts.listAccounts(user: Self.owner, reply: &reply)
        #expect(reply.deliveries.text.hasPrefix("Not on this server.\n---\n"))
        #expect(reply.deliveries.text.contains("cal:1 Work — ok"))
    }

    @Test func calendarChangesArePreparedFromTheCalendarsAloneAndLeftToTheGate() async throws {
        let changes = CalendarChangesHandler(calendars: Self.directory([
            CoreWorld.event("d", "Dentist", CoreWorld.at(2026, 11, 23, 15)),
        ]), now: { CoreWorld.now })
        let formatter = ScheduleFormatter(settings: Self.settings, now: CoreWorld.now)
        var reply = Reply(event: Self.event)
        let move = try await changes.prepareMove(EventReference(title: "Dentist"), to: .instant(CoreWorld.at(2026, 11, 24, 9)),
                                                 notify: true, user: Self.owner, settings: Self.settings,
                                                 formatter: formatter, reply: &reply)
        #expect(move?.arguments.eventID == "d")
        #expect(move?.summary.hasPrefix("Move “Dentist”") == true, "\(move?.summary ?? "")")
        // Preparing asks nothing and says nothing: storing the card is the gate's.
        #expect(reply.deliveries.isEmpty)

        let missing = try await changes.prepareCancel(EventReference(title: "Opera"), notify: true, user: Self.owner,
                                                      settings: Self.settings, formatter: formatter, reply: &reply)
        #expect(missing?.summary == nil)
        #expect(reply.deliveries.text.contains("I couldn't find"))
    }
}
