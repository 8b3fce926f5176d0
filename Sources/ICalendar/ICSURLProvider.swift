import Foundation
import StewardCore

/// A read-only calendar published at an `.ics` URL (a Google "secret address", an Outlook publish link,
/// a team feed): one calendar, `default`, primary, not writable.
///
/// Guarantees: at most one request per `minimumRefreshInterval` (60 s) unless `refresh()` forces one, and
/// never two at once; requests carry `If-None-Match` with the last ETag and a 304 reuses the parsed copy;
/// each good body is saved to `cacheFile` (with its ETag beside it) so that after a restart the calendar
/// answers from disk even when the server is down. When a fetch fails, the last good copy is served; only
/// with no copy at all does the error reach the caller. Error messages name the host, never the full URL
/// (such URLs usually embed a secret token).
public final class ICSURLProvider: CalendarProvider {
    public let accountID: String
    public let url: URL
    public let defaultTimeZone: TimeZone
    private let feed: Feed

    public static let calendarID = "default"

    public init(accountID: String, url: URL, http: any HTTPFetching, defaultTimeZone: TimeZone, cacheFile: URL?,
                minimumRefreshInterval: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.accountID = accountID
        self.url = url
        self.defaultTimeZone = defaultTimeZone
        feed = Feed(url: url, http: http, defaultTimeZone: defaultTimeZone, cacheFile: cacheFile,
                    minimumRefreshInterval: minimumRefreshInterval, now: now)
    }

    public func calendars() async throws -> [CalendarInfo] {
        let name = await feed.calendarName ?? url.deletingPathExtension().lastPathComponent
        return [CalendarInfo(id: Self.calendarID, name: name.isEmpty ? (url.host ?? "Calendar") : name,
                             isPrimary: true, isWritable: false)]
    }

    public func events(in window: DateInterval) async throws -> [CalendarEvent] {
        try await feed.document(force: false).occurrences(in: window, defaultTimeZone: defaultTimeZone,
                                                          accountID: accountID, calendarID: Self.calendarID)
    }

    /// A published feed is only read: no booking targets it, and a move or cancel is refused before any card.
    public var canCreateEvents: Bool { false }

    public func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
        throw CalendarError("The ICS URL account \(accountID) is read-only: Steward can only read that feed. Book the event in a writable calendar (an ICS file, CalDAV or Google account) instead.")
    }

    /// The feed's current document, fetched now unless `force` is false and the last fetch is recent.
    @discardableResult
    public func refresh(force: Bool = true) async throws -> ICalendarDocument {
        try await feed.document(force: force)
    }
}

/// The fetch-and-cache state of one feed. An actor, and one shared in-flight task, so concurrent readers
/// wait for a single request instead of each sending their own.
private actor Feed {
    let url: URL
    let http: any HTTPFetching
    let defaultTimeZone: TimeZone
    let cacheFile: URL?
    let minimumRefreshInterval: TimeInterval
    let now: @Sendable () -> Date

    private var document: ICalendarDocument?
    private var etag: String?
    private var lastAttempt: Date?
    private var lastError: CalendarError?
    private var loadedDiskCache = false
    private var inFlight: Task<ICalendarDocument, Error>?

    init(url: URL, http: any HTTPFetching, defaultTimeZone: TimeZone, cacheFile: URL?,
         minimumRefreshInterval: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.url = url
        self.http = http
        self.defaultTimeZone = defaultTimeZone
        self.cacheFile = cacheFile
        self.minimumRefreshInterval = minimumRefreshInterval
        self.now = now
    }

    var calendarName: String? { document?.calendarName }

    func document(force: Bool) async throws -> ICalendarDocument {
        loadDiskCacheOnce()
        if let inFlight { return try await inFlight.value }
        if !force, let lastAttempt, now().timeIntervalSince(lastAttempt) < minimumRefreshInterval {
            if let document { return document }
            if let lastError { throw lastError }
        }
        let task = Task { try await self.fetch() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    private func fetch() async throws -> ICalendarDocument {
        lastAttempt = now()
        do {
            // Only ask for a 304 when there is a copy to fall back on.
            let response = try await http.get(url, etag: document == nil ? nil : etag)
            switch response.status {
            case 304:
                if let document {
                    lastError = nil
                    return document
                }
                throw CalendarError("the server answered 304 Not Modified to a request without an ETag")
            case 200...299:
                let parsed: ICalendarDocument
                do {
                    parsed = try ICalendarParser.parse(response.body, defaultTimeZone: defaultTimeZone)
                } catch let error as ICalendarError {
                    throw CalendarError("the feed is not valid iCalendar (\(error))")
                }
                document = parsed
                etag = response.etag
                lastError = nil
                saveDiskCache(response.body, etag: response.etag)
                return parsed
            default:
                throw CalendarError("the server answered HTTP \(response.status)")
            }
        } catch {
            if let document { return document }
            let reason = (error as? CalendarError)?.message ?? String(describing: error)
            let failure = CalendarError("Could not load the calendar feed from \(url.host ?? "its server"): \(reason). There is no saved copy to show yet; check the URL with `steward doctor`.")
            lastError = failure
            throw failure
        }
    }

    private var etagFile: URL? { cacheFile.map { URL(fileURLWithPath: $0.path + ".etag") } }

    /// Reads the body saved by an earlier run. A copy that no longer parses is ignored, not fatal.
    private func loadDiskCacheOnce() {
        guard !loadedDiskCache else { return }
        loadedDiskCache = true
        guard let cacheFile, let body = try? Data(contentsOf: cacheFile),
              let parsed = try? ICalendarParser.parse(body, defaultTimeZone: defaultTimeZone) else { return }
        document = parsed
        etag = etagFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Best effort: a cache that cannot be written costs only the offline fallback.
    private func saveDiskCache(_ body: Data, etag: String?) {
        guard let cacheFile, let etagFile else { return }
        try? FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(),
                                                 withIntermediateDirectories: true)
        try? body.write(to: cacheFile, options: .atomic)
        if let etag {
            try? Data(etag.utf8).write(to: etagFile, options: .atomic)
        } else {
            try? FileManager.default.removeItem(at: etagFile)
        }
    }
}
