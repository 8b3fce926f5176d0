import Foundation

extension TimePieces.PartOfDay {
    /// The hours a part of the day covers when it limits a search or a check ("free tomorrow morning"):
    /// morning 08:00–12:00, afternoon 12:00–17:00, evening 17:00–21:00, night (and `tonight`) 20:00–24:00.
    var minutes: Range<Int> {
        switch self {
        case .morning: 8 * 60..<12 * 60
        case .afternoon: 12 * 60..<17 * 60
        case .evening: 17 * 60..<21 * 60
        case .night: 20 * 60..<24 * 60
        }
    }
}

extension TimeExpressionParser {
    /// `tomorrow morning`, `friday afternoon`, `this evening`: those hours of that day. Nil unless the
    /// phrase names one day and a part of it with no clock time (`tomorrow morning at 7` is an instant).
    func partOfDayWindow(_ tokens: ArraySlice<PhraseToken>) -> DateInterval? {
        guard let pieces = TimeGrammar.pieces(tokens), let part = pieces.part, pieces.clock == nil,
              pieces.relativeMinutes == nil, case .dayWithDefault(let days, _)? = resolve(pieces) else { return nil }
        let day = clock.local(days.start).day
        return DateInterval(start: clock.instant(day: day, minute: part.minutes.lowerBound),
                            end: clock.instant(day: day, minute: part.minutes.upperBound))
    }
}
