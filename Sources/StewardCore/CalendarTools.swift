import Foundation

/// Arguments of the `calendar_create_event` tool, exactly as stored in an approval and hashed.
/// Times are ISO 8601 with an offset, as the tool conventions in DESIGN.md require.
public struct CreateEventArguments: Codable, Sendable, Equatable {
    /// Account reference, e.g. `ics:3`.
    public var account: String
    public var calendar: String?
    public var uid: String
    public var title: String
    public var start: String
    public var end: String
    public var timeZone: String
    public var attendees: [String]

    public static let toolName = "calendar_create_event"

    public init(account: String, calendar: String?, uid: String, title: String, start: Date, end: Date,
                timeZone: TimeZone, attendees: [String]) {
        self.account = account
        self.calendar = calendar
        self.uid = uid
        self.title = title
        self.start = Self.iso(start, in: timeZone)
        self.end = Self.iso(end, in: timeZone)
        self.timeZone = timeZone.identifier
        self.attendees = attendees
    }

    /// The canonical bytes that are stored, hashed and executed.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public func draft() throws -> EventDraft {
        guard let startDate = Self.parseISO(start), let endDate = Self.parseISO(end), endDate > startDate else {
            throw CalendarError("the stored booking has invalid times")
        }
        return EventDraft(uid: uid, title: title, start: startDate, end: endDate, timeZone: timeZone,
                          attendees: attendees)
    }

    static func iso(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parseISO(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
