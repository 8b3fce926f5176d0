import Foundation

/// Renders days, times, agendas and free slots as plain text in the user's zone and clock style.
///
/// Guarantees: every time is shown in `settings.zone`; 24 h times are `HH:MM`, 12 h times `h:MM am|pm`;
/// ranges use an en dash (U+2013) with no spaces; the output carries no markup (platform renderers escape
/// it); titles and locations are flattened to one line each; an event whose end is at or before `now` is
/// marked ` (past)`.
public struct ScheduleFormatter: Sendable {
    public let settings: UserSettings
    public let now: Date
    private let zone: TimeZone
    private let calendar: Calendar

    public init(settings: UserSettings, now: Date) {
        self.settings = settings
        self.now = now
        // One lookup for both (`settings.zone` and `settings.calendar` would be two).
        (zone, calendar) = ZoneCalendars.made(for: settings.timeZone)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mon 23 Nov`
    public func dayHeader(_ day: LocalDate) -> String {
        "\(day.weekday.shortName) \(day.day) \(Self.monthNames[day.month - 1])"
    }

    /// `14:30`, or `2:30 pm` with the 12 h clock (`12:00 pm` is noon, `12:00 am` midnight).
    public func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return time(minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// A local time of day given as minutes after midnight, in the same style as `time(_:)`.
    public func time(minuteOfDay: Int) -> String {
        let hour = minuteOfDay / 60 % 24
        let minute = minuteOfDay % 60
        switch settings.clock {
        case .h24:
            return String(format: "%02d:%02d", hour, minute)
        case .h12:
            let twelve = hour % 12 == 0 ? 12 : hour % 12
            return "\(twelve):" + String(format: "%02d", minute) + (hour < 12 ? " am" : " pm")
        }
    }

    /// `14:30–15:00`: times only; the caller says which day(s).
    public func range(_ interval: DateInterval) -> String {
        "\(time(interval.start))–\(time(interval.end))"
    }

    /// One block per local day of `span` (in the user's zone), blocks separated by a blank line:
    ///
    ///     Mon 23 Nov
    ///     All day  Conference
    ///     09:00–09:30 Stand-up · Room 4 (past)
    ///     14:00–15:00 Review
    ///
    /// - Within a day: all-day events first (by title), then timed events by start (then end, then title).
    /// - An event touches every local day its span overlaps (end exclusive; a zero-length event touches
    ///   the day of its instant). A timed event that crosses midnight shows on each day it touches: on the
    ///   day it starts as `22:00–… Title`, on the day it ends as `…–02:00 Title`, and on a day it covers
    ///   completely as `All day  Title`.
    /// - A day with nothing says `No events.`. When `span` covers more than one day, a run of two or more
    ///   consecutive empty days becomes one block headed `Wed 25 Nov – Thu 26 Nov` (spaced en dash).
    /// - A span ending exactly at a midnight does not include the day that starts there.
    public func agenda(_ events: [CalendarEvent], over span: DateInterval) -> String {
        let first = LocalDate(span.start, in: zone)
        var last = LocalDate(span.end, in: zone)
        if last > first, last.startOfDay(in: zone) >= span.end { last = last.adding(days: -1) }
        let dayCount = first.days(to: last) + 1

        var blocks: [String] = []
        var emptyRun: (from: LocalDate, to: LocalDate)?
        func flushEmptyRun() {
            guard let run = emptyRun else { return }
            let header = run.from == run.to ? dayHeader(run.from) : "\(dayHeader(run.from)) – \(dayHeader(run.to))"
            blocks.append("\(header)\nNo events.")
            emptyRun = nil
        }
        for offset in 0..<dayCount {
            let day = first.adding(days: offset)
            let lines = agendaLines(events, on: day)
            if lines.isEmpty {
                emptyRun = (emptyRun?.from ?? day, day)
                continue
            }
            flushEmptyRun()
            blocks.append(([dayHeader(day)] + lines).joined(separator: "\n"))
        }
        flushEmptyRun()
        return blocks.joined(separator: "\n\n")
    }

    /// Free slots grouped by day, one line per day, earliest first, under a heading naming the length:
    ///
    ///     Free for 30 min:
    ///     Mon 23 Nov 10:00–11:30, 14:00–15:00
    ///     Tue 24 Nov 09:00–18:00
    ///
    /// No slots → one sentence saying none of that length was found in working hours and how to widen.
    /// - Parameter header: false when the message's title already says "Free for …" (one header, not two).
    public func slots(_ slots: [DateInterval], minutes: Int, header: Bool = true) -> String {
        guard !slots.isEmpty else {
            return "No free slot of \(Self.duration(minutes)) was found in working hours. "
                + "Try a wider range, e.g. /free \(minutes)m next week, or change /settings hours."
        }
        var lines = header ? ["Free for \(Self.duration(minutes)):"] : []
        var currentDay: LocalDate?
        for slot in slots.sorted(by: { $0.start < $1.start }) {
            let day = LocalDate(slot.start, in: zone)
            if day == currentDay {
                lines[lines.count - 1] += ", \(range(slot))"
            } else {
                lines.append("\(dayHeader(day)) \(range(slot))")
                currentDay = day
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One line with its day, for `/next` and approval cards:
    /// `Mon 23 Nov 14:30–15:00 Title · Location`; across midnight `Mon 23 Nov 22:00 – Tue 24 Nov 02:00 Title`;
    /// all-day `Mon 23 Nov All day  Title` (several days: `Mon 23 Nov – Wed 25 Nov All day  Title`).
    /// Ends with ` (past)` when the event is over.
    public func event(_ event: CalendarEvent) -> String {
        "\(when(event))\(event.isAllDay ? " " : "") \(describe(event))"
    }

    /// When an event happens, without its title: `Mon 23 Nov 14:30–15:00`, `Mon 23 Nov All day`.
    public func when(_ event: CalendarEvent) -> String {
        guard case .date(let first) = event.start else { return span(event.interval(in: zone)) }
        let last = lastDay(ofAllDay: event, first: first)
        guard last != first else { return "\(dayHeader(first)) All day" }
        let (from, to) = dayHeaders(first, last)
        return "\(from) – \(to) All day"
    }

    /// A span with its day: `Tue 24 Nov 14:00–15:00`; across midnight `Mon 23 Nov 22:00 – Tue 24 Nov 02:00`.
    /// Both days are always named when they differ, with their years when those differ too
    /// (`Mon 7 Dec 2026 10:00 – Fri 7 Dec 2125 10:00`), so a card never hides how long an event lasts.
    public func span(_ interval: DateInterval) -> String {
        let startDay = LocalDate(interval.start, in: zone)
        let endDay = lastTouchedDay(of: interval)
        guard startDay != endDay else { return "\(dayHeader(startDay)) \(range(interval))" }
        let (from, to) = dayHeaders(startDay, endDay)
        return "\(from) \(time(interval.start)) – \(to) \(time(interval.end))"
    }

    /// Headers for the two ends of a span: `Mon 23 Nov`, or `Mon 23 Nov 2026` on both when the years differ.
    private func dayHeaders(_ first: LocalDate, _ last: LocalDate) -> (String, String) {
        guard first.year != last.year else { return (dayHeader(first), dayHeader(last)) }
        return ("\(dayHeader(first)) \(first.year)", "\(dayHeader(last)) \(last.year)")
    }

    /// A title as one line, for cards: `“Design review”`.
    public func quoted(_ title: String) -> String {
        let line = Self.oneLine(title)
        return "“\(line.isEmpty ? "(no title)" : line)”"
    }

    /// `30 min`, `1 h`, `1 h 30 min`.
    public static func duration(_ minutes: Int) -> String {
        switch (minutes / 60, minutes % 60) {
        case (0, let rest): "\(rest) min"
        case (let hours, 0): "\(hours) h"
        case (let hours, let rest): "\(hours) h \(rest) min"
        }
    }
}

extension ScheduleFormatter {
    /// The lines for one local day, without the header; empty when nothing touches the day.
    private func agendaLines(_ events: [CalendarEvent], on day: LocalDate) -> [String] {
        let bounds = day.interval(in: zone)
        var allDay: [(title: String, line: String)] = []
        var timed: [(start: Date, end: Date, title: String, line: String)] = []
        for event in events {
            if case .date(let first) = event.start {
                guard first <= day, day <= lastDay(ofAllDay: event, first: first) else { continue }
                allDay.append((event.title, "All day  \(describe(event))"))
                continue
            }
            let interval = event.interval(in: zone)
            let touches = interval.duration == 0
                ? bounds.start <= interval.start && interval.start < bounds.end
                : interval.start < bounds.end && interval.end > bounds.start
            guard touches else { continue }
            let startsBefore = interval.start < bounds.start
            let endsAfter = interval.end > bounds.end
            if startsBefore && endsAfter {
                allDay.append((event.title, "All day  \(describe(event))"))
            } else {
                let from = startsBefore ? "…" : time(interval.start)
                let to = endsAfter ? "…" : time(interval.end)
                timed.append((max(interval.start, bounds.start), interval.end, event.title,
                              "\(from)–\(to) \(describe(event))"))
            }
        }
        allDay.sort { $0.title < $1.title }
        timed.sort { ($0.start, $0.end, $0.title) < ($1.start, $1.end, $1.title) }
        return allDay.map(\.line) + timed.map(\.line)
    }

    /// Title, ` · location` when there is one, and ` (past)` when the event is over.
    private func describe(_ event: CalendarEvent) -> String {
        var text = Self.oneLine(event.title)
        if text.isEmpty { text = "(no title)" }
        if let location = event.location.map(Self.oneLine), !location.isEmpty { text += " · \(location)" }
        if event.interval(in: zone).end <= now { text += " (past)" }
        return text
    }

    /// The last date an all-day event covers (its end date is exclusive; a missing end means one day).
    private func lastDay(ofAllDay event: CalendarEvent, first: LocalDate) -> LocalDate {
        if case .date(let end) = event.end, end > first { return end.adding(days: -1) }
        return first
    }

    /// The local day of the last instant inside `interval` (an end at midnight belongs to the day before).
    private func lastTouchedDay(of interval: DateInterval) -> LocalDate {
        let endDay = LocalDate(interval.end, in: zone)
        if interval.duration > 0, endDay.startOfDay(in: zone) == interval.end { return endDay.adding(days: -1) }
        return endDay
    }

    /// Text from calendars may carry newlines and tabs; one event must stay one line.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .replacingOccurrences(of: "\t", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}
