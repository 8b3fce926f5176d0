import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

/// A listing reads at most 20 pages: a span with more events than that is refused in words, not read for hours.
@Suite("Google Calendar listing limit")
struct CalendarListingLimitTests {
    @Test("events.list stops after 20 pages and says the span holds too many events")
    func stopsAfterTwentyPages() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            for minute in 0..<21 {
                try await google.state.addTimedEvent(calendarID: owner, summary: "Slot \(minute)",
                                                     start: .at("2026-03-10T09:\(String(format: "%02d", minute)):00Z"),
                                                     end: .at("2026-03-10T09:\(String(format: "%02d", minute + 1)):00Z"),
                                                     timeZone: "UTC")
            }
            await google.state.setMaxPageSize(1)
            let (provider, _) = try await google.provider(calendarIDs: [owner])
            let window = DateInterval(start: .at("2026-03-10T00:00:00Z"), end: .at("2026-03-11T00:00:00Z"))
            let error = await #expect(throws: GoogleError.tooManyEvents) { try await provider.events(in: window) }
            #expect(error?.description.contains("ask for a shorter one") == true)
            #expect(await google.state.requests("calendar.events.list").count == 20)
        }
    }

    @Test("20 pages exactly are read whole")
    func twentyPagesAreRead() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            for minute in 0..<20 {
                try await google.state.addTimedEvent(calendarID: owner, summary: "Slot \(minute)",
                                                     start: .at("2026-03-10T09:\(String(format: "%02d", minute)):00Z"),
                                                     end: .at("2026-03-10T09:\(String(format: "%02d", minute + 1)):00Z"),
                                                     timeZone: "UTC")
            }
            await google.state.setMaxPageSize(1)
            let (provider, _) = try await google.provider(calendarIDs: [owner])
            let window = DateInterval(start: .at("2026-03-10T00:00:00Z"), end: .at("2026-03-11T00:00:00Z"))
            #expect(try await provider.events(in: window).count == 20)
        }
    }
}
