import Foundation

/// One token read as a clock reading: `3`, `15`, `3pm`, `3:30`, `3.30pm`, `15:00`, `09:00`, `15h`, `15h30`.
/// It only reads the characters; `clock(meridiem:)` decides what time of day they mean.
struct TimeOfDayText: Sendable {
    enum Form: Sendable { case bare, colon, hourSuffix }
    enum Meridiem: Sendable { case am, pm }

    var hour: Int
    var minute: Int
    var form: Form
    var meridiem: Meridiem?
    /// `09:00`, `03:30`: a two-digit hour with a leading zero is a 24-hour reading, never shifted to pm.
    var leadingZero: Bool

    init?(_ word: String) {
        let bytes = Array(word.utf8)
        var index = 0
        func digits(max: Int) -> (value: Int, count: Int)? {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, let digit = Self.digit(bytes[index]) {
                value = value * 10 + digit
                count += 1
                index += 1
            }
            return count == 0 ? nil : (value, count)
        }
        guard let hourDigits = digits(max: 2) else { return nil }
        hour = hourDigits.value
        leadingZero = hourDigits.count == 2 && bytes[0] == UInt8(ascii: "0")
        minute = 0
        form = .bare
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard let minuteDigits = digits(max: 2), minuteDigits.count == 2 else { return nil }
            minute = minuteDigits.value
            form = .colon
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "h") {
            index += 1
            form = .hourSuffix
            if index < bytes.count {
                guard let minuteDigits = digits(max: 2), minuteDigits.count == 2 else { return nil }
                minute = minuteDigits.value
            }
        }
        if index < bytes.count {
            guard form != .hourSuffix,
                  let meridiem = Self.meridiem(String(decoding: bytes[index...], as: UTF8.self)) else { return nil }
            self.meridiem = meridiem
        }
        guard minute < 60 else { return nil }
    }

    static func meridiem(_ text: String) -> Meridiem? {
        switch text {
        case "am", "a", "a.m", "a.m.": .am
        case "pm", "p", "p.m", "p.m.": .pm
        default: nil
        }
    }

    func clock(meridiem: Meridiem?) -> TimePieces.Clock? {
        if let meridiem {
            guard (1...12).contains(hour), !leadingZero || hour < 10 else { return nil }
            return .exact((hour % 12 + (meridiem == .pm ? 12 : 0)) * 60 + minute)
        }
        if hour == 24, minute == 0 { return .exact(24 * 60) }
        guard hour < 24 else { return nil }
        if form != .hourSuffix, !leadingZero, (1...12).contains(hour) { return .loose(hour: hour, minute: minute) }
        return .exact(hour * 60 + minute)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
