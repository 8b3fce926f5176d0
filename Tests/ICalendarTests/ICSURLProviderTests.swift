import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// A feed server that serves one body with an ETag, answers 304 to a matching If-None-Match, and can be
/// switched off; it records every request.
private final class FakeFeed: HTTPFetching, @unchecked Sendable {
    private let lock = NSLock()
    private var body: Data
    private var etag: String
    private var down = false
    private var delay: Duration = .zero
    private(set) var requests: [(url: URL, ifNoneMatch: String?)] = []

    init(body: String, etag: String) {
        self.body = Data(body.utf8)
        self.etag = etag
    }

    func publish(_ text: String, etag: String) { lock.withLock { body = Data(text.utf8); self.etag = etag } }
    func setDown(_ value: Bool) { lock.withLock { down = value } }
    func setDelay(_ value: Duration) { lock.withLock { delay = value } }
    var requestCount: Int { lock.withLock { requests.count } }
    var lastIfNoneMatch: String? { lock.withLock { requests.last?.ifNoneMatch } }

    func get(_ url: URL, etag sentETag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        let (delay, down, body, etag) = lock.withLock {
            requests.append((url, sentETag))
            return (self.delay, self.down, self.body, self.etag)
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        if down { return (503, nil, Data("Service Unavailable".utf8)) }
        if sentETag == etag { return (304, etag, Data()) }
        return (200, etag, body)
    }
}

/// A clock the test moves by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = utc("2026-11-23T08:00:00Z")
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

@Suite("ICS URL provider")
struct ICSURLProviderTests {
    private let url = URL(string: "https://calendar.example.com/ical/secret-token-123/basic.ics")!
    private let week = window(berlin, from: (2026, 11, 23), to: (2026, 11, 30))

    private func feed(_ title: String) -> String {
        calendarText("X-WR-CALNAME:Team feed\nBEGIN:VEVENT\nUID:f1\nDTSTART;TZID=Europe/Berlin:20261124T100000\nDTEND;TZID=Europe/Berlin:20261124T110000\nSUMMARY:\(title)\nEND:VEVENT")
    }

    private func provider(_ server: FakeFeed, _ clock: ManualClock, cache: URL? = nil) -> ICSURLProvider {
        ICSURLProvider(accountID: "ics:9", url: url, http: server, defaultTimeZone: berlin, cacheFile: cache,
                       now: { clock.now })
    }

    @Test("Read-only: one calendar, and booking is refused with a clear message")
    func readOnly() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        let provider = provider(server, ManualClock())
        _ = try await provider.events(in: week)
        #expect(try await provider.calendars() == [CalendarInfo(id: "default", name: "Team feed", isPrimary: true, isWritable: false)])
        let draft = EventDraft(uid: "u", title: "T", start: Date(), end: Date(), timeZone: "UTC")
        do {
            _ = try await provider.createEvent(draft, calendarID: nil)
            Issue.record("createEvent should throw")
        } catch let error as CalendarError {
            #expect(error.message.contains("read-only"))
            #expect(error.message.contains("writable calendar"))
        }
    }

    @Test("At most one request per 60 s; then a conditional GET whose 304 reuses the parsed copy")
    func throttleAndETag() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        let clock = ManualClock()
        let provider = provider(server, clock)
        #expect(try await provider.events(in: week).map(\.title) == ["Sync"])
        #expect(server.requestCount == 1 && server.lastIfNoneMatch == nil)

        clock.advance(59)
        _ = try await provider.events(in: week)
        #expect(server.requestCount == 1)

        clock.advance(2)
        #expect(try await provider.events(in: week).map(\.title) == ["Sync"])
        #expect(server.requestCount == 2 && server.lastIfNoneMatch == "\"v1\"")

        server.publish(feed("Sync (moved)"), etag: "\"v2\"")
        clock.advance(61)
        #expect(try await provider.events(in: week).map(\.title) == ["Sync (moved)"])
        #expect(server.requestCount == 3 && server.lastIfNoneMatch == "\"v1\"")
    }

    @Test("refresh() forces a request inside the 60 s")
    func forcedRefresh() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        let provider = provider(server, ManualClock())
        _ = try await provider.events(in: week)
        server.publish(feed("Changed"), etag: "\"v2\"")
        try await provider.refresh()
        #expect(server.requestCount == 2)
        #expect(try await provider.events(in: week).map(\.title) == ["Changed"])
        #expect(server.requestCount == 2)
    }

    @Test("Concurrent readers share one request")
    func singleFlight() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        server.setDelay(.milliseconds(100))
        let provider = provider(server, ManualClock())
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.events(in: self.week).count } }
            for try await count in group { #expect(count == 1) }
        }
        #expect(server.requestCount == 1)
    }

    @Test("A server error with a copy in memory serves the copy")
    func errorServesCache() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        let clock = ManualClock()
        let provider = provider(server, clock)
        _ = try await provider.events(in: week)
        server.setDown(true)
        clock.advance(120)
        #expect(try await provider.events(in: week).map(\.title) == ["Sync"])
        #expect(server.requestCount == 2)
    }

    @Test("After a restart with the server down, the calendar answers from the disk cache")
    func restartFromDisk() async throws {
        let cache = try temporaryDirectory().appendingPathComponent("cache/feed.ics")
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        _ = try await provider(server, ManualClock(), cache: cache).events(in: week)
        #expect(FileManager.default.fileExists(atPath: cache.path))

        server.setDown(true)
        let restarted = provider(server, ManualClock(), cache: cache)
        #expect(try await restarted.events(in: week).map(\.title) == ["Sync"])

        // Back up: the saved ETag makes the first request after the restart conditional.
        server.setDown(false)
        let again = provider(server, ManualClock(), cache: cache)
        #expect(try await again.events(in: week).map(\.title) == ["Sync"])
        #expect(server.lastIfNoneMatch == "\"v1\"")
    }

    @Test("No copy and no server: a clear error that names the host but not the secret URL")
    func errorWithoutCache() async throws {
        let server = FakeFeed(body: feed("Sync"), etag: "\"v1\"")
        server.setDown(true)
        let clock = ManualClock()
        let provider = provider(server, clock)
        do {
            _ = try await provider.events(in: week)
            Issue.record("events should throw")
        } catch let error as CalendarError {
            #expect(error.message.contains("calendar.example.com"))
            #expect(error.message.contains("503"))
            #expect(!error.message.contains("secret-token-123"))
        }
        // The dead server is not asked again within the minute.
        _ = try? await provider.events(in: week)
        #expect(server.requestCount == 1)
        server.setDown(false)
        clock.advance(61)
        #expect(try await provider.events(in: week).count == 1)
    }

    @Test("A body that is not iCalendar is an error, or the previous copy when there is one")
    func invalidBody() async throws {
        let server = FakeFeed(body: "<html>Login required</html>", etag: "\"x\"")
        let clock = ManualClock()
        let provider = provider(server, clock)
        await #expect(throws: CalendarError.self) { try await provider.events(in: week) }
        server.publish(feed("Sync"), etag: "\"v1\"")
        clock.advance(61)
        #expect(try await provider.events(in: week).count == 1)
        server.publish("garbage", etag: "\"v2\"")
        clock.advance(61)
        #expect(try await provider.events(in: week).map(\.title) == ["Sync"])
    }
}
