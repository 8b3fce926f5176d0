import Foundation

/// Finds the event a user means ("my 2pm", "Dentist", "the review on friday") among their events.
///
/// Only events that have not started yet count. "my 2pm" is the first day, from today on, that has an
/// event starting at 14:00 local time; a title matches when it contains the words (case and accents
/// ignored), and failing that without a trailing "meeting"/"appointment"/"call". Repeats of one event
/// (the same title) count once — the next one is meant; different events that match, or two at the same
/// moment, are `several`: the user must say which.
struct EventLookup: Sendable {
    enum Outcome: Equatable, Sendable {
        case found(CalendarEvent)
        case none
        /// The candidates, earliest first, one per distinct event.
        case several([CalendarEvent])
    }

    let zone: TimeZone
    let now: Date

    func resolve(_ reference: EventReference, among events: [CalendarEvent]) -> Outcome {
        let clock = LocalClock(zone: zone)
        func start(_ event: CalendarEvent) -> Date { event.start.instant(in: zone) }
        var matches = events.filter { event in
            let begins = start(event)
            guard begins >= now, reference.eventID == nil || event.id == reference.eventID else { return false }
            switch reference.when {
            case nil: return true
            case .timeOfDay(let minute)?: return !event.isAllDay && clock.local(begins).minute == minute
            case .instant(let instant)?: return !event.isAllDay && abs(begins.timeIntervalSince(instant)) < 1
            case .day(let span)?: return begins >= span.start && begins < span.end
            }
        }
        var title = reference.title
        if let words = title {
            let byTitle = matches.filter { Self.title($0.title, contains: words) }
            let shorter = Self.withoutGenericTail(words)
            if byTitle.isEmpty, shorter != words {
                title = shorter
                matches = matches.filter { Self.title($0.title, contains: shorter) }
            } else {
                matches = byTitle
            }
        }
        matches.sort { (start($0), $0.title, $0.id) < (start($1), $1.title, $1.id) }
        guard let first = matches.first else { return .none }
        if case .timeOfDay? = reference.when {
            let day = clock.local(start(first)).day
            matches = matches.filter { clock.local(start($0)).day == day }
        }
        var distinct: [String: CalendarEvent] = [:]
        for event in matches where distinct[Self.normalized(event.title)] == nil {
            distinct[Self.normalized(event.title)] = event
        }
        if distinct.count > 1 {
            guard let title, let exact = distinct[Self.normalized(title)] else {
                return .several(distinct.values.sorted { (start($0), $0.title) < (start($1), $1.title) })
            }
            matches = matches.filter { Self.normalized($0.title) == Self.normalized(exact.title) }
        }
        let simultaneous = matches.filter { start($0) == start(matches[0]) }
        return simultaneous.count > 1 ? .several(simultaneous) : .found(matches[0])
    }

    static func title(_ title: String, contains words: String) -> Bool {
        title.range(of: words, options: [.caseInsensitive, .diacriticInsensitive]) != nil
    }

    static func normalized(_ title: String) -> String {
        title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// "dentist appointment" → "dentist".
    static func withoutGenericTail(_ title: String) -> String {
        var words = title.split(whereSeparator: \.isWhitespace)
        while words.count > 1, let last = words.last, EventChange.genericWords.contains(last.lowercased()) {
            words.removeLast()
        }
        return words.joined(separator: " ")
    }
}
