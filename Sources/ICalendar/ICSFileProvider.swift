import Foundation
import StewardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar kept in a local `.ics` file: one calendar, `default`, named after the file, primary and
/// writable.
///
/// Guarantees: `events(in:)` re-parses only when the file's identity, size or modification time changed;
/// `createEvent` is idempotent on the draft's UID, writes atomically (temp file + rename, so a reader or a
/// crash never sees half a file), and writers in this process are serialised, so two concurrent creates
/// both land. A missing file reads as an empty calendar and is created on the first write. Moving and
/// cancelling work like creating (see `ICSFileProvider+Changes.swift`); after any write the cached parse is
/// the file as written, so the next answer shows the change. Attendees are written into the file, but
/// nobody is e-mailed: the provider says it can't notify them.
public final class ICSFileProvider: CalendarProvider {
    public let accountID: String
    public let fileURL: URL
    public let defaultTimeZone: TimeZone
    let cache = Locked<CachedFile?>(nil)
    /// How many times the file was parsed (lets tests check that an unchanged file is served from cache).
    let parseCount = Locked(0)

    /// Every file provider in the process writes under this lock: two providers may point at one file.
    static let writeLock = NSLock()

    public static let calendarID = "default"

    public init(accountID: String, fileURL: URL, defaultTimeZone: TimeZone) {
        self.accountID = accountID
        self.fileURL = fileURL
        self.defaultTimeZone = defaultTimeZone
    }

    public func calendars() async throws -> [CalendarInfo] {
        [CalendarInfo(id: Self.calendarID, name: fileURL.deletingPathExtension().lastPathComponent,
                      isPrimary: true, isWritable: true)]
    }

    public func events(in window: DateInterval) async throws -> [CalendarEvent] {
        try document().occurrences(in: window, defaultTimeZone: defaultTimeZone, accountID: accountID,
                                   calendarID: Self.calendarID)
    }

    /// The parsed file (empty when the file does not exist), from cache when unchanged on disk.
    public func document() throws -> ICalendarDocument {
        guard let stamp = FileStamp(fileURL) else { return ICalendarDocument() }
        if let cached = cache.withLock({ $0 }), cached.stamp == stamp { return cached.document }
        let (document, readStamp) = try read()
        if let readStamp { cache.withLock { $0 = CachedFile(stamp: readStamp, document: document) } }
        return document
    }

    /// Dates are written as `VALUE=DATE`, which every reader of the file understands.
    public var canCreateAllDayEvents: Bool { true }

    public func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
        if let calendarID, calendarID != Self.calendarID {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) has one calendar, '\(Self.calendarID)'; there is no calendar '\(calendarID)'.")
        }
        guard draft.end >= draft.start else {
            throw CalendarError("The event ends before it starts.")
        }
        return try Self.writeLock.withLock { try create(draft) }
    }

    /// The read-check-write of `createEvent`, run under `writeLock`.
    private func create(_ draft: EventDraft) throws -> CalendarEvent {
        var existingText: String?
        if FileManager.default.fileExists(atPath: fileURL.path) {
            let (document, _) = try read()
            if let existing = document.firstOccurrence(uid: draft.uid, defaultTimeZone: defaultTimeZone,
                                                       accountID: accountID, calendarID: Self.calendarID) {
                return existing
            }
            existingText = try readText()
        }
        let block = ICalendarWriter.event(draft, now: Date())
        guard var updated = ICalendarWriter.inserting(block, into: existingText ?? ICalendarWriter.emptyCalendar()) else {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) has no END:VCALENDAR line; Steward will not guess where to add the event.")
        }
        if draft.allDay == nil, !ICalendarWriter.isUTC(draft.timeZone) {
            updated = ICalendarWriter.addingTimeZone(draft.timeZone, around: draft.start, to: updated)
        }
        try writeAtomically(updated)

        let (document, stamp) = try read()
        if let stamp { cache.withLock { $0 = CachedFile(stamp: stamp, document: document) } }
        guard let created = document.firstOccurrence(uid: draft.uid, defaultTimeZone: defaultTimeZone,
                                                     accountID: accountID, calendarID: Self.calendarID) else {
            throw CalendarError("The event was written to \(fileURL.lastPathComponent) but could not be read back.")
        }
        return created
    }

    // MARK: - File access

    func readText() throws -> String {
        do {
            return String(decoding: try Data(contentsOf: fileURL), as: UTF8.self)
        } catch {
            throw CalendarError("Could not read the calendar file \(fileURL.path): \(error.localizedDescription)")
        }
    }

    /// Reads and parses the file; the stamp is taken before reading so a write racing the read makes the
    /// next call re-read rather than keep stale data.
    func read() throws -> (ICalendarDocument, FileStamp?) {
        let stamp = FileStamp(fileURL)
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            throw CalendarError("Could not read the calendar file \(fileURL.path): \(error.localizedDescription)")
        }
        parseCount.withLock { $0 += 1 }
        do {
            return (try ICalendarParser.parse(data, defaultTimeZone: defaultTimeZone), stamp)
        } catch let error as ICalendarError {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) is not valid iCalendar (\(error)).")
        }
    }

    func writeAtomically(_ text: String) throws {
        let directory = fileURL.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(fileURL.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, fileURL.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw CalendarError("Could not replace the calendar file \(fileURL.path): \(reason)")
            }
        } catch let error as CalendarError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CalendarError("Could not write the calendar file \(fileURL.path): \(error.localizedDescription)")
        }
    }
}

/// What identifies one version of a file without reading it.
struct FileStamp: Equatable {
    var modified: Date?
    var size: Int
    var inode: Int

    init?(_ url: URL) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        modified = attributes[.modificationDate] as? Date
        size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? -1
    }
}

struct CachedFile {
    var stamp: FileStamp
    var document: ICalendarDocument
}
