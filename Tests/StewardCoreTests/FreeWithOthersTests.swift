import Foundation
import Testing
@testable import StewardCore

/// `/free … with a@x.com,b@y.com`: other people's busy times come from a calendar that can see them, and
/// anyone it couldn't see is named. Now is Saturday 21 Nov 2026 10:00 in Berlin; Monday is 23 Nov.
@Suite struct FreeWithOthersTests {
    @Test func othersBusyTimesShapeTheSlotsAndTheUnseenAreNamed() async throws {
        let bobBusy = DateInterval(start: CoreWorld.at(2026, 11, 23, 9), end: CoreWorld.at(2026, 11, 23, 12))
        let calendar = FakeCalendar(accountID: "google:1", events: [], others: ["bob@x.com": [bobBusy]])
        let world = CoreWorld([("Files", "ics", FakeCalendar(accountID: "ics:9", events: [])),
                               ("Work", "google", calendar)])
        let answer = await world.send(.command(name: "free", arguments: "30m monday with bob@x.com,carol@y.com")).text
        #expect(answer.contains("Mon 23 Nov 12:00–18:00"))
        #expect(!answer.contains("09:00"))
        #expect(answer.contains("Couldn't see carol@y.com's calendar; these slots only account for your calendars and bob@x.com's."))
        #expect(await calendar.busyQueries == [["bob@x.com", "carol@y.com"]])

        let seen = await world.send(.command(name: "free", arguments: "30m monday with bob@x.com")).text
        #expect(seen.contains("Checked against the calendar of bob@x.com."))
        let nobody = await world.send(.command(name: "free", arguments: "30m monday with carol@y.com")).text
        #expect(nobody.contains("Couldn't see carol@y.com's calendar; these slots only account for your own calendars."))
        #expect(nobody.contains("Mon 23 Nov 09:00–18:00"))
    }

    @Test func withoutACalendarThatSeesOthersTheAnswerSaysSo() async throws {
        // The server's registration (as the app's) names the kind of account that can see others.
        let google = AccountKind(name: "google", features: [.calendar, .othersFreeBusy], displayName: "Google")
        let answer = await Self.free("30m monday with bob@x.com", kinds: AccountKinds([google]))
        #expect(answer.contains("(Other people's availability needs a Google account; these are your own free times.)"))
        #expect(answer.contains("Mon 23 Nov 09:00–18:00"))
    }

    /// A provider Core has never heard of: its registration alone names it in the note.
    @Test func theNoteNamesTheRegisteredKindThatCanSeeOthers() async throws {
        let kinds = AccountKinds([
            AccountKind(name: "file", features: [.calendar]),
            AccountKind(name: "outlook", features: [.calendar, .othersFreeBusy], displayName: "Outlook"),
        ])
        let named = await Self.free("30m monday with bob@x.com", kinds: kinds)
        #expect(named.contains("(Other people's availability needs an Outlook account; these are your own free times.)"))
        let none = await Self.free("30m monday with bob@x.com", kinds: AccountKinds([AccountKind(name: "file", features: [.calendar])]))
        #expect(none.contains("(Other people's availability can't be seen from your calendars; these are your own free times.)"))
        #expect(!none.contains("Google"))
    }

    /// `/free …` from the owner with only a calendar file connected, on a server that registered `kinds`.
    static func free(_ arguments: String, kinds: AccountKinds) async -> String {
        let store = MemoryStore()
        let file = Account(id: 1, userID: 1, kind: "file", label: "Files", options: [:], createdAt: CoreWorld.now)
        let orchestrator = Orchestrator(
            users: store, approvals: store, audit: store,
            calendars: FakeDirectory(entries: [(account: file, provider: FakeCalendar(accountID: "file:1", events: []))]),
            status: nil, access: AccessPolicy(owners: [CoreWorld.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
            digest: { String($0.count) }, now: { CoreWorld.now }, accountKinds: kinds)
        let event = InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                 kind: .command(name: "free", arguments: arguments), receivedAt: CoreWorld.now)
        return await orchestrator.handle(event).text
    }
}
