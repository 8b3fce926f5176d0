import Foundation

/// What a time phrase said, before it is resolved against "now": at most one day, one clock time, one
/// part of the day, or a relative offset. Built by `TimeGrammar.pieces`, resolved by `TimeExpressionParser`.
struct TimePieces: Sendable {
    enum Day: Equatable, Sendable {
        /// Days from today: `today` 0, `tomorrow` 1, `yesterday` -1, `in 3 days` 3.
        case offset(Int)
        case weekday(Weekday, next: Bool)
        case monthDay(month: Int, day: Int, year: Int?)
        /// `the 5th`: a day of whichever month comes next.
        case dayOfMonth(Int)
        case week(next: Bool)
        case weekend(next: Bool)
    }

    enum PartOfDay: Sendable {
        case morning, afternoon, evening, night

        /// Used when the phrase must name an instant but gives no clock time.
        var defaultMinute: Int {
            switch self {
            case .morning: 9 * 60
            case .afternoon: 14 * 60
            case .evening: 18 * 60
            case .night: 20 * 60
            }
        }
    }

    enum Clock: Equatable, Sendable {
        /// Minute of the day, 0...1440 (1440 = midnight at the end of the day).
        case exact(Int)
        /// An hour 1...12 written without am/pm or a leading zero (`at 3`, `3:30`): the part of the day,
        /// or failing that the 1–7 = pm rule, decides.
        case loose(hour: Int, minute: Int)
    }

    var day: Day?
    var clock: Clock?
    var part: PartOfDay?
    /// `in 2 hours` (or `now` = 0): minutes from now; excludes every other piece.
    var relativeMinutes: Int?

    var isEmpty: Bool { day == nil && clock == nil && part == nil && relativeMinutes == nil }
}

enum TimeGrammar {
    /// The most words a time phrase may have ("on the day after tomorrow at around 3:30 pm in the
    /// afternoon" is 12). Callers try many runs of a message's words as a time (every tail, every prefix,
    /// after every "to"); with this cap each try costs a bounded amount, so parsing stays linear in the
    /// message instead of rescanning it once per word.
    static let longestPhrase = 16

    /// Reads a whole phrase; nil if any word is not understood, a piece is given twice, the phrase
    /// contains an ambiguous numeric date (`12/5`), or it is longer than `longestPhrase` words.
    static func pieces(_ tokens: ArraySlice<PhraseToken>) -> TimePieces? {
        guard tokens.count <= longestPhrase else { return nil }
        var pieces = TimePieces()
        var index = tokens.startIndex
        let end = tokens.endIndex
        func word(_ at: Int) -> String? { at < end ? tokens[at].word : nil }
        func set<T>(_ slot: inout T?, _ value: T) -> Bool {
            guard slot == nil else { return false }
            slot = value
            return true
        }

        while index < end {
            let current = tokens[index].word
            if current == "in", let relative = relative(tokens, at: index) {
                switch relative.value {
                case .minutes(let minutes): guard set(&pieces.relativeMinutes, minutes) else { return nil }
                case .days(let days): guard set(&pieces.day, .offset(days)) else { return nil }
                }
                index += relative.length
                continue
            }
            // One hash look-up per word instead of a chain of string comparisons.
            switch vocabulary[current] {
            case .filler?:
                break
            case .now?:
                guard set(&pieces.relativeMinutes, 0) else { return nil }
            case .offset(let days)?:
                guard set(&pieces.day, .offset(days)) else { return nil }
            case .tonight?:
                guard set(&pieces.day, .offset(0)), set(&pieces.part, .night) else { return nil }
            case .day? where word(index + 1) == "after" && word(index + 2) == "tomorrow":
                guard set(&pieces.day, .offset(2)) else { return nil }
                index += 2
            case .week?:
                guard set(&pieces.day, .week(next: false)) else { return nil }
            case .weekend?:
                guard set(&pieces.day, .weekend(next: false)) else { return nil }
            case .weekday(let weekday)?:
                guard set(&pieces.day, .weekday(weekday, next: false)) else { return nil }
            case .part(let part)?:
                guard set(&pieces.part, part) else { return nil }
            case .this?, .next?:
                let next = vocabulary[current] == .next
                switch word(index + 1).flatMap({ vocabulary[$0] }) {
                case .weekday(let weekday)?:
                    guard set(&pieces.day, .weekday(weekday, next: next)) else { return nil }
                case .week?:
                    guard set(&pieces.day, .week(next: next)) else { return nil }
                case .weekend?:
                    guard set(&pieces.day, .weekend(next: next)) else { return nil }
                case .part(let part)? where !next:
                    guard set(&pieces.day, .offset(0)), set(&pieces.part, part) else { return nil }
                default:
                    return nil
                }
                index += 1
            case .day?, nil:
                if let (date, length) = date(tokens, at: index) {
                    guard set(&pieces.day, date) else { return nil }
                    index += length - 1
                } else if let (clock, length) = clock(tokens, at: index) {
                    guard set(&pieces.clock, clock) else { return nil }
                    index += length - 1
                } else {
                    return nil
                }
            }
            index += 1
        }
        if pieces.relativeMinutes != nil, pieces.day != nil || pieces.clock != nil || pieces.part != nil { return nil }
        return pieces.isEmpty ? nil : pieces
    }

    /// A cheap over-approximation of "could be part of a time phrase", so callers splitting a title from
    /// its time need not try phrases that contain an ordinary word.
    static func mayBeTimeWord(_ word: String) -> Bool {
        if let first = word.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") { return true }
        return vocabulary[word] != nil || months[word] != nil || otherTimeWords.contains(word)
    }

    /// Words that by themselves point at a time (`friday`, `3pm`, `tomorrow`, `noon`), unlike fillers
    /// such as `the` or `at` that also occur in titles.
    static func namesTime(_ word: String) -> Bool {
        if let first = word.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") { return true }
        if let entry = vocabulary[word] { return entry != .filler }
        return months[word] != nil || word == "noon" || word == "midday" || word == "midnight"
    }

    /// Words that only appear inside longer phrases (`in 2 hours`, `3 pm`, `5th of dec`).
    private static let otherTimeWords: Set<String> = [
        "after", "days", "weeks", "of", "am", "pm", "oclock", "noon", "midday", "midnight", "a", "an", "half",
        "hour", "hours", "minutes", "minute", "min", "mins", "h", "m", "hr", "hrs", "and", "quarter", "one",
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ]

    private enum Word: Equatable {
        case filler, now, offset(Int), tonight, day, week, weekend, this, next
        case weekday(Weekday)
        case part(TimePieces.PartOfDay)
    }

    private static let vocabulary: [String: Word] = {
        var table: [String: Word] = [
            "at": .filler, "on": .filler, "the": .filler, "@": .filler, "around": .filler, "coming": .filler,
            "in": .filler, "now": .now, "today": .offset(0), "tomorrow": .offset(1), "tmrw": .offset(1),
            "tmr": .offset(1), "tomorow": .offset(1), "tommorow": .offset(1), "yesterday": .offset(-1),
            "tonight": .tonight, "tonite": .tonight, "day": .day, "week": .week, "weekend": .weekend,
            "this": .this, "next": .next, "morning": .part(.morning), "afternoon": .part(.afternoon),
            "evening": .part(.evening), "night": .part(.night),
        ]
        for (name, weekday) in weekdays { table[name] = .weekday(weekday) }
        return table
    }()

    private static let weekdays: [String: Weekday] = [
        "mon": .monday, "monday": .monday, "tue": .tuesday, "tues": .tuesday, "tuesday": .tuesday,
        "wed": .wednesday, "weds": .wednesday, "wednesday": .wednesday, "thu": .thursday, "thur": .thursday,
        "thurs": .thursday, "thursday": .thursday, "fri": .friday, "friday": .friday, "sat": .saturday,
        "saturday": .saturday, "sun": .sunday, "sunday": .sunday,
    ]

    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// `fri`, `friday`, `thurs`…: full names and the usual abbreviations, nothing shorter than three letters.
    static func weekday(_ word: String) -> Weekday? { weekdays[word] }

    static func month(_ word: String) -> Int? { months[word] }

    private enum Relative { case minutes(Int), days(Int) }

    /// `in 2 hours`, `in 30 minutes`, `in an hour` (minutes from now) or `in 3 days`, `in a week`.
    private static func relative(_ tokens: ArraySlice<PhraseToken>, at index: Int) -> (value: Relative, length: Int)? {
        guard tokens[index].word == "in", index + 1 < tokens.endIndex else { return nil }
        if index + 2 < tokens.endIndex {
            let unit = tokens[index + 2].word
            let perUnit = unit == "day" || unit == "days" ? 1 : (unit == "week" || unit == "weeks" ? 7 : 0)
            if perUnit > 0 {
                let amount = tokens[index + 1].word
                let count = amount == "a" || amount == "an" || amount == "one" ? 1 : Int(amount)
                guard let count, count >= 0, count <= 366 else { return nil }
                return (.days(count * perUnit), 3)
            }
        }
        // Longest run first, so `in 1 hour 30 minutes` is not read as `in 1 hour` plus stray words.
        var length = min(5, tokens.endIndex - index - 1)
        while length > 0 {
            let run = tokens[(index + 1)..<(index + 1 + length)]
            if let minutes = DurationParser.minutes(run, requireUnit: true, maximum: 14 * 24 * 60) {
                return (.minutes(minutes), length + 1)
            }
            length -= 1
        }
        return nil
    }

    /// `dec 5`, `december 5th 2026`, `5 dec`, `5th of december`, `the 5th`, `2026-12-05`.
    private static func date(_ tokens: ArraySlice<PhraseToken>, at index: Int) -> (TimePieces.Day, Int)? {
        let end = tokens.endIndex
        let word = tokens[index].word
        let leadingMonth = month(word)
        guard leadingMonth != nil || word.utf8.first.map({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) == true
        else { return nil }
        if let iso = isoDate(word) { return (iso, 1) }
        func year(_ at: Int) -> Int? {
            guard at < end, tokens[at].word.utf8.count == 4, let value = Int(tokens[at].word),
                  (1970...9999).contains(value) else { return nil }
            return value
        }
        if let month = leadingMonth, index + 1 < end, let day = dayNumber(tokens[index + 1].word) {
            if let year = year(index + 2) { return (.monthDay(month: month, day: day.value, year: year), 3) }
            return (.monthDay(month: month, day: day.value, year: nil), 2)
        }
        guard let day = dayNumber(word) else { return nil }
        var next = index + 1
        if next < end, tokens[next].word == "of" { next += 1 }
        if next < end, let month = month(tokens[next].word) {
            if let year = year(next + 1) { return (.monthDay(month: month, day: day.value, year: year), next + 2 - index) }
            return (.monthDay(month: month, day: day.value, year: nil), next + 1 - index)
        }
        return day.ordinal ? (.dayOfMonth(day.value), 1) : nil
    }

    /// `5`, `05`, `5th`, `1st`, `22nd`, `3rd` as a day of the month.
    private static func dayNumber(_ word: String) -> (value: Int, ordinal: Bool)? {
        var digits = Substring(word)
        var ordinal = false
        for suffix in ["st", "nd", "rd", "th"] where word.hasSuffix(suffix) {
            digits = digits.dropLast(2)
            ordinal = true
        }
        guard (1...2).contains(digits.count), let value = Int(digits), (1...31).contains(value) else { return nil }
        return (value, ordinal)
    }

    /// `2026-12-05` or `2026/12/05`: year first is unambiguous.
    private static func isoDate(_ word: String) -> TimePieces.Day? {
        guard word.utf8.count >= 8, word.utf8.count <= 10 else { return nil }
        let parts = word.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              LocalClock.validDay(year: year, month: month, day: day) != nil else { return nil }
        return .monthDay(month: month, day: day, year: year)
    }

    /// A clock time: one token (`3pm`, `3:30pm`, `15:00`, `15h`, `15h30`, `noon`) or two (`3 pm`,
    /// `3:30 pm`, `3 oclock`). A bare number (`3`) counts only after `at`/`@`/`around`.
    private static func clock(_ tokens: ArraySlice<PhraseToken>, at index: Int) -> (TimePieces.Clock, Int)? {
        let word = tokens[index].word
        switch word {
        case "noon", "midday": return (.exact(12 * 60), 1)
        case "midnight": return (.exact(24 * 60), 1)
        default: break
        }
        guard let reading = TimeOfDayText(word) else { return nil }
        let following = index + 1 < tokens.endIndex ? tokens[index + 1].word : nil
        if reading.meridiem == nil, let following, let meridiem = TimeOfDayText.meridiem(following),
           reading.form != .hourSuffix {
            return reading.clock(meridiem: meridiem).map { ($0, 2) }
        }
        if reading.form == .bare, reading.meridiem == nil {
            if following == "oclock" { return reading.clock(meridiem: nil).map { ($0, 2) } }
            let previous = index > tokens.startIndex ? tokens[index - 1].word : nil
            guard previous == "at" || previous == "@" || previous == "around" else { return nil }
        }
        return reading.clock(meridiem: reading.meridiem).map { ($0, 1) }
    }
}
