import Foundation

/// Times on `/status`: in the asking user's zone, to the minute, as they read every other time Steward
/// shows them; without a zone (logs, `doctor`) the exact ISO 8601 instant, as before.
enum StatusTime {
    static func string(_ date: Date, in zone: TimeZone?) -> String {
        guard let zone else { return ISO8601DateFormatter().string(from: date) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.calendar = Calendar(identifier: .gregorian)
        format.timeZone = zone
        format.dateFormat = "yyyy-MM-dd HH:mm"
        return format.string(from: date)
    }

    /// A time kept in the state table as ISO 8601 text; "never" when there is none, the text itself when it
    /// isn't a time.
    static func string(stored text: String?, in zone: TimeZone?) -> String {
        guard let text else { return "never" }
        guard let date = ISO8601DateFormatter().date(from: text) else { return text }
        return string(date, in: zone)
    }
}
