import Foundation

/// RFC 5322 §3.3 dates, with the obsolete forms still seen in the wild (two-digit years, named zones,
/// missing seconds, a trailing `(CET)` comment).
public enum MailDateParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let namedZones: [String: Int] = [
        "ut": 0, "gmt": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
    ]

    public static func parse(_ header: String?) -> Date? {
        // A date is under 40 bytes; reading only the start keeps a hostile megabyte from costing anything.
        guard let header = header.map({ ASCII.prefix($0, bytes: 256) }) else { return nil }
        let withoutComment = header.split(separator: "(", maxSplits: 1).first ?? ""
        let tokens = withoutComment.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map { $0.lowercased() }
        var day: Int?, month: Int?, year: Int?, clock: [Int]?, offsetMinutes = 0
        for token in tokens {
            if let index = months.firstIndex(where: { token.hasPrefix($0) }), month == nil {
                month = index + 1
            } else if token.contains(":") {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                if parts.count >= 2 { clock = parts }
            } else if (token.hasPrefix("+") || token.hasPrefix("-")) && token.count == 5, let value = Int(token.dropFirst()) {
                offsetMinutes = (token.hasPrefix("-") ? -1 : 1) * (value / 100 * 60 + value % 100)
            } else if let zone = namedZones[token] {
                offsetMinutes = zone
            } else if let number = Int(token) {
                if day == nil && number >= 1 && number <= 31 { day = number } else if year == nil { year = number }
            }
        }
        guard let day, let month, var year, let clock else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let hour = clock[0], minute = clock[1], second = clock.count > 2 ? clock[2] : 0
        guard (1...9_999).contains(year), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm): no Calendar
    /// object per message.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
