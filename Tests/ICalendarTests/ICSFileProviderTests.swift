import Foundation
import StewardCore
import Testing
@testable import ICalendar

@Suite("ICS file provider")
struct ICSFileProviderTests {
    private func draft(_ uid: String, _ title: String = "Lunch with Ana", day: Int = 23) -> EventDraft {
        EventDraft(uid: uid, title: title, start: local(berlin, 2026, 11, day, 12), end: local(berlin, 2026, 11, day, 13),
                   timeZone: "Europe/Berlin", attendees: ["ana@example.com"])
    }

    private func count(of needle: String, in url: URL) throws -> Int {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.components(separatedBy: needle).count - 1
    }

    @Test("One calendar named after the file, primary and writable")
    func calendars() async throws {
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: URL(fileURLWithPath: "/tmp/none/Family.ics"),
                                       defaultTimeZone: berlin)
        #expect(try await provider.calendars() == [CalendarInfo(id: "default", name: "Family", isPrimary: true, isWritable: true)])
        // A missing file is an empty calendar, not an error.
        #expect(try await provider.events(in: window(berlin, from: (2026, 1, 1), to: (2027, 1, 1))).isEmpty)
    }

    @Test("Creating twice with one UID writes it once and returns the same event")
    func idempotentCreate() async throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("work.ics")
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)

        let first = try await provider.createEvent(draft("steward-42@steward.local"), calendarID: nil)
        let second = try await provider.createEvent(draft("steward-42@steward.local", "A different title"), calendarID: "default")
        #expect(first == second)
        #expect(first.id == "steward-42@steward.local")
        #expect(first.title == "Lunch with Ana")
        #expect(first.start == .dateTime(local(berlin, 2026, 11, 23, 12), timeZone: "Europe/Berlin"))
        #expect(first.accountID == "ics:1" && first.calendarID == "default" && !first.isFromOthers)
        #expect(try count(of: "UID:steward-42@steward.local", in: file) == 1)
        #expect(try count(of: "PRODID:-//Steward//Steward//EN", in: file) == 1)
        // The TZID it uses is defined in the file, once, for other calendar programs.
        #expect(try count(of: "TZID:Europe/Berlin\r\n", in: file) == 1)

        let listed = try await provider.events(in: window(berlin, from: (2026, 11, 23), to: (2026, 11, 24)))
        #expect(listed == [first])
        // No temporary files are left next to it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["work.ics"])
    }

    @Test("Concurrent creates all land exactly once")
    func concurrentCreates() async throws {
        let file = try temporaryDirectory().appendingPathComponent("busy.ics")
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        // Two providers on the same file, as two accounts pointing at it would be.
        let twin = ICSFileProvider(accountID: "ics:2", fileURL: file, defaultTimeZone: berlin)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let target = index.isMultiple(of: 2) ? provider : twin
                    _ = try await target.createEvent(self.draft("uid-\(index % 10)", "Event \(index)", day: 1 + index % 10),
                                                     calendarID: nil)
                }
            }
            try await group.waitForAll()
        }
        let document = try provider.document()
        #expect(document.events.count == 10)
        for index in 0..<10 {
            #expect(try count(of: "UID:uid-\(index)\r\n", in: file) == 1)
        }
    }

    @Test("Changes made by another program are picked up; an unchanged file is not re-read")
    func cacheInvalidation() async throws {
        let file = try temporaryDirectory().appendingPathComponent("shared.ics")
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        _ = try await provider.createEvent(draft("one"), calendarID: nil)
        let november = window(berlin, from: (2026, 11, 1), to: (2026, 12, 1))
        #expect(try await provider.events(in: november).map(\.id) == ["one"])

        let edited = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "SUMMARY:Lunch with Ana", with: "SUMMARY:Lunch with Bo (moved)")
        try Data(edited.utf8).write(to: file, options: .atomic)
        #expect(try await provider.events(in: november).map(\.title) == ["Lunch with Bo (moved)"])

        // Served from cache while the file is unchanged.
        let parses = provider.parseCount.withLock { $0 }
        _ = try await provider.events(in: november)
        _ = try provider.document()
        #expect(provider.parseCount.withLock { $0 } == parses)
    }

    @Test("An existing LF-only file from another program keeps its events and its line ends")
    func appendToForeignFile() async throws {
        let file = try temporaryDirectory().appendingPathComponent("mine.ics")
        let foreign = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Other//App//EN\nBEGIN:VEVENT\nUID:old\nDTSTART;VALUE=DATE:20261123\nSUMMARY:Old\nEND:VEVENT\nEND:VCALENDAR\n"
        try Data(foreign.utf8).write(to: file)
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        _ = try await provider.createEvent(draft("new"), calendarID: nil)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains("\r"))
        #expect(try provider.document().events.map(\.uid) == ["old", "new"])
    }

    @Test("Bad requests and broken files give clear errors and write nothing")
    func errors() async throws {
        let file = try temporaryDirectory().appendingPathComponent("broken.ics")
        try Data("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VCALENDAR\n".utf8).write(to: file)
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        await #expect(throws: CalendarError.self) { try await provider.createEvent(draft("n"), calendarID: nil) }
        await #expect(throws: CalendarError.self) {
            try await provider.events(in: window(berlin, from: (2026, 1, 1), to: (2027, 1, 1)))
        }
        await #expect(throws: CalendarError.self) { try await provider.createEvent(draft("n"), calendarID: "other") }
        var backwards = draft("b")
        backwards.end = backwards.start.addingTimeInterval(-60)
        await #expect(throws: CalendarError.self) { try await provider.createEvent(backwards, calendarID: nil) }
        #expect(try String(contentsOf: file, encoding: .utf8) == "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VCALENDAR\n")
    }
}
