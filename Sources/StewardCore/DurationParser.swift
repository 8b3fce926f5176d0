import Foundation

/// Reads how long something should take, the way people type it.
///
/// Accepts `30m`, `30 min`, `45` (a bare number is minutes), `1h`, `1 h`, `1.5h`, `1h30`, `1h30m`,
/// `1h 30m`, `1 hour and 30 minutes`, `90 minutes`, `2 hours`, `45-minute`, `an hour`, `half an hour`,
/// `an hour and a half`, `one and a half hours`, `a quarter of an hour`, and the number words one to
/// twelve. Guarantees: the result is a whole number of minutes in `1...1440` (at most a day); anything
/// else — `0`, negatives, fractions of a minute (`1.5m`), over 24 hours, hours after minutes, leftover
/// words — is `nil`.
public enum DurationParser {
    public static func minutes(_ text: String) -> Int? {
        minutes(text, requireUnit: false, maximum: 24 * 60)
    }

    /// `requireUnit` rejects a bare number: in free text, "dec 5" must not read as five minutes.
    static func minutes(_ text: String, requireUnit: Bool, maximum: Int) -> Int? {
        guard let atoms = atoms(text), !atoms.isEmpty else { return nil }
        var reader = Reader(atoms: atoms)
        guard let total = reader.total(requireUnit: requireUnit) else { return nil }
        let whole = total.rounded()
        guard abs(total - whole) < 0.001, whole >= 1, whole <= Double(maximum) else { return nil }
        return Int(whole)
    }

    /// Tokens as one string each, so `1h30m` and `1 h 30 m` read alike.
    static func minutes(_ tokens: ArraySlice<PhraseToken>, requireUnit: Bool, maximum: Int = 24 * 60) -> Int? {
        // Cheap rejection before any string work: callers try many runs of a message's words.
        guard let first = tokens.first, tokens.count <= 6, tokens.allSatisfy({ mayBeDurationWord($0.word) }),
              startsWithDigit(first.word) || numberWords[first.word] != nil else { return nil }
        let text = tokens.count == 1 ? tokens.first!.word : tokens.map(\.word).joined(separator: " ")
        return minutes(text, requireUnit: requireUnit, maximum: maximum)
    }

    private static func startsWithDigit(_ word: String) -> Bool {
        guard let byte = word.utf8.first else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func mayBeDurationWord(_ word: String) -> Bool {
        startsWithDigit(word) || numberWords[word] != nil || unit(word) != nil || word == "and" || word == "of"
    }

    fileprivate enum Atom: Equatable {
        case number(Double)
        case word(String)
    }

    /// Splits `1.5h`, `1h30m`, `half an hour` into numbers and words; nil on any other character
    /// (a leading `-` included, so negatives never parse). Works on ASCII bytes: no unit is anything else.
    private static func atoms(_ text: String) -> [Atom]? {
        var atoms: [Atom] = []
        var number: [UInt8] = []
        var word: [UInt8] = []
        func flush() -> Bool {
            if !number.isEmpty {
                guard let value = Double(String(decoding: number, as: UTF8.self)) else { return false }
                atoms.append(.number(value))
                number.removeAll(keepingCapacity: true)
            }
            if !word.isEmpty {
                atoms.append(.word(String(decoding: word, as: UTF8.self)))
                word.removeAll(keepingCapacity: true)
            }
            return true
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard word.isEmpty || flush() else { return nil }
                number.append(byte)
            case UInt8(ascii: ".") where !number.isEmpty:
                number.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                guard number.isEmpty || flush() else { return nil }
                word.append(byte | 0x20)
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "\t"):
                guard flush() else { return nil }
            case UInt8(ascii: "-") where !(atoms.isEmpty && number.isEmpty && word.isEmpty):
                guard flush() else { return nil }  // `45-minute`; a leading minus stays an error
            default:
                return nil
            }
        }
        guard flush() else { return nil }
        return atoms
    }

    private static let numberWords: [String: Double] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
        "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
        "half": 0.5, "quarter": 0.25,
    ]

    private enum Unit { case hours, minutes }

    private static func unit(_ word: String) -> Unit? {
        switch word {
        case "h", "hr", "hrs", "hour", "hours": .hours
        case "m", "min", "mins", "minute", "minutes", "mn": .minutes
        default: nil
        }
    }

    private struct Reader {
        var atoms: [Atom]
        var index = 0

        mutating func total(requireUnit: Bool) -> Double? {
            var hours: Double?
            var minutes: Double?
            while index < atoms.count {
                if hours != nil || minutes != nil, skip("and") {
                    // "an hour and a half": a half of the unit just read.
                    if hours != nil, minutes == nil, skipHalf() {
                        hours! += 0.5
                        continue
                    }
                }
                let digits = index < atoms.count && { if case .number = atoms[index] { true } else { false } }()
                guard var value = readNumber() else { return nil }
                if skip("and"), skipHalf() { value += 0.5 }
                // "half an hour", "a quarter of an hour"
                if value < 1 { _ = skip("of"); _ = skip("an") || skip("a") }
                let next = index < atoms.count ? atoms[index] : nil
                if case .word(let word)? = next, let found = unit(word) {
                    index += 1
                    switch found {
                    case .hours:
                        guard hours == nil, minutes == nil else { return nil }
                        hours = value
                    case .minutes:
                        guard minutes == nil else { return nil }
                        minutes = value
                    }
                } else if digits, hours != nil, minutes == nil, index == atoms.count, value < 60 {
                    minutes = value  // `1h30`
                } else if digits, hours == nil, minutes == nil, index == atoms.count, !requireUnit {
                    minutes = value  // a bare number
                } else {
                    return nil
                }
            }
            guard hours != nil || minutes != nil else { return nil }
            return (hours ?? 0) * 60 + (minutes ?? 0)
        }

        private mutating func readNumber() -> Double? {
            guard index < atoms.count else { return nil }
            switch atoms[index] {
            case .number(let value):
                index += 1
                return value
            case .word(let word):
                guard var value = numberWords[word] else { return nil }
                index += 1
                // "a half hour", "a quarter hour"
                if value == 1, word.count <= 2, index < atoms.count, case .word(let next) = atoms[index],
                   next == "half" || next == "quarter" {
                    value = numberWords[next]!
                    index += 1
                }
                return value
            }
        }

        private mutating func skip(_ word: String) -> Bool {
            guard index < atoms.count, atoms[index] == .word(word) else { return false }
            index += 1
            return true
        }

        private mutating func skipHalf() -> Bool {
            let saved = index
            _ = skip("a")
            if skip("half") { return true }
            index = saved
            return false
        }
    }
}
