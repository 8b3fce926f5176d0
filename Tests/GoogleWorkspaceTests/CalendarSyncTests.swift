import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

@Suite("Google Calendar incremental sync")
struct CalendarSyncTests {
    static let window = DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-04-01T00:00:00Z"))

    @Test("a full listing pages through the window without ordering, then a sync token brings only the changes")
    func incremental() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            var ids: [String] = []
            for dayNumber in 2...6 {
                ids.append(try await google.state.addTimedEvent(calendarID: owner, summary: "Day \(dayNumber)",
                                                                start: .at("2026-03-0\(dayNumber)T10:00:00Z"),
                                                                end: .at("2026-03-0\(dayNumber)T11:00:00Z"), timeZone: "UTC"))
            }
            await google.state.setMaxPageSize(2)
            let (provider, _) = try await google.provider()
            let full = try await provider.changes(calendarID: owner, since: nil, window: Self.window)
            #expect(full.isFullSync && !full.syncTokenExpired)
            #expect(full.events.map(\.title).sorted() == (2...6).map { "Day \($0)" })
            let token = try #require(full.nextSyncToken)
            let fullRequests = await google.state.requests("calendar.events.list")
            #expect(fullRequests.count == 3)
            #expect(fullRequests.allSatisfy { $0.query("orderBy") == nil && $0.query("singleEvents") == "true" })
            #expect(fullRequests[0].query("timeMin") == "2026-03-01T00:00:00Z")

            // Elsewhere: one event renamed, one deleted, one added.
            try await google.state.modifyEvent(calendarID: owner, eventID: ids[0], ["summary": "Day 2 (moved)"])
            try await google.state.removeEvent(calendarID: owner, eventID: ids[1])
            try await google.state.addTimedEvent(calendarID: owner, summary: "New", start: .at("2026-03-20T10:00:00Z"),
                                                 end: .at("2026-03-20T11:00:00Z"), timeZone: "UTC")
            let delta = try await provider.changes(calendarID: owner, since: token, window: Self.window)
            #expect(!delta.isFullSync)
            #expect(delta.events.map(\.title).sorted() == ["Day 2 (moved)", "New"])
            #expect(delta.removedEventIDs == [ids[1]])
            #expect(delta.nextSyncToken != nil && delta.nextSyncToken != token)
            let incremental = try #require(await google.state.requests("calendar.events.list").last)
            #expect(incremental.query("syncToken") == token)
            #expect(incremental.query("timeMin") == nil && incremental.query("timeMax") == nil && incremental.query("orderBy") == nil)

            // Nothing changed since: an empty delta.
            let quiet = try await provider.changes(calendarID: owner, since: delta.nextSyncToken, window: Self.window)
            #expect(quiet.events.isEmpty && quiet.removedEventIDs.isEmpty && !quiet.isFullSync)
        }
    }

    @Test("410 on a sync token: the provider lists the window again and tells the caller to replace its copy")
    func syncTokenGone() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            try await google.state.addTimedEvent(calendarID: owner, summary: "Kept", start: .at("2026-03-02T10:00:00Z"),
                                                 end: .at("2026-03-02T11:00:00Z"), timeZone: "UTC")
            let (provider, _) = try await google.provider()
            let first = try await provider.changes(calendarID: owner, since: nil, window: Self.window)
            let token = try #require(first.nextSyncToken)

            await google.state.failNext(1, with: .syncTokenGone, method: "calendar.events.list")
            let resync = try await provider.changes(calendarID: owner, since: token, window: Self.window)
            #expect(resync.isFullSync && resync.syncTokenExpired)
            #expect(resync.events.map(\.title) == ["Kept"])
            #expect(resync.nextSyncToken != nil)
            let statuses = await google.state.requests("calendar.events.list").map(\.status)
            #expect(statuses == [200, 410, 200])

            // A token the server expired on its own behaves the same.
            await google.state.expireSyncTokens()
            let again = try await provider.changes(calendarID: owner, since: resync.nextSyncToken, window: Self.window)
            #expect(again.isFullSync && again.syncTokenExpired && again.events.count == 1)

            // Asked directly, the client reports the 410 as syncTokenExpired.
            await google.state.expireSyncTokens()
            await #expect(throws: GoogleError.syncTokenExpired) {
                try await provider.client.syncEvents(calendarID: owner, syncToken: again.nextSyncToken, window: nil)
            }
        }
    }

    @Test("a cancelled instance of a series arrives in the delta as a removal")
    func cancelledInstanceInDelta() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            let series = try await google.state.addWeeklyEvent(calendarID: owner, summary: "Weekly", firstStart: .at("2026-03-02T09:00:00Z"),
                                                               duration: 1800, timeZone: "UTC", count: 3)
            let (provider, _) = try await google.provider()
            let full = try await provider.changes(calendarID: owner, since: nil, window: Self.window)
            #expect(full.events.count == 3)
            try await google.state.removeEvent(calendarID: owner, eventID: "\(series)_20260309T090000Z")
            let delta = try await provider.changes(calendarID: owner, since: full.nextSyncToken, window: Self.window)
            #expect(delta.events.isEmpty)
            #expect(delta.removedEventIDs == ["\(series)_20260309T090000Z"])
        }
    }
}
