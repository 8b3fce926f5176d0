import Foundation

/// `/settings key value`: reading and showing each key in the syntax the user types.
///
/// Guarantees: `apply` changes exactly one setting or throws a `SettingsError` whose message is one line
/// saying what is expected (with an example) and leaves `self` unchanged. Every line of `summaryLines()`
/// can be sent back as `/settings <line>` and changes nothing.
extension UserSettings {
    /// The keys `/settings` understands, in the order `summaryLines()` shows them.
    public static let editableKeys = ["timezone", "hours", "workdays", "buffer", "quiet", "digest", "triage",
                                      "clock", "calendar", "vip", "keyword", "mute", "noturgent", "home"]

    /// The `summaryLines()` a change replaced (`old`) and what stands in their place (`new`); both empty
    /// when nothing changed.
    public func changedLines(since earlier: UserSettings) -> (old: [String], new: [String]) {
        let before = earlier.summaryLines(), after = summaryLines()
        return (before.filter { !after.contains($0) }, after.filter { !before.contains($0) })
    }

    public mutating func apply(key: String, value: String) throws(SettingsError) {
        var changed = self
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch Self.canonicalKey(key) {
        case "timezone":
            changed.timeZone = try Self.zoneIdentifier(text)
        case "hours":
            let window = Self.afternoonEnd(Self.window(text, allowingEndOfDay: true), text)
            guard let window, window.start < window.end else { throw Self.expected("hours") }
            changed.workingHours = window
        case "workdays":
            guard let days = Self.workdays(text) else { throw Self.expected("workdays") }
            changed.workdays = days
        case "buffer":
            let off = ["0", "0m", "0 min", "0 minutes", "none", "off"].contains(text.lowercased())
            guard let minutes = off ? 0 : DurationParser.minutes(text), minutes <= 240 else {
                throw Self.expected("buffer")
            }
            changed.bufferMinutes = minutes
        case "quiet":
            if Self.isOff(text) {
                changed.quietHours = nil
            } else {
                guard let window = Self.window(text, allowingEndOfDay: false), window.start != window.end else {
                    throw Self.expected("quiet")
                }
                changed.quietHours = window
            }
        case "digest":
            if Self.isOff(text) {
                changed.digestTime = nil
            } else {
                guard let time = TimeExpressionParser.parseTimeOfDay(text) else { throw Self.expected("digest") }
                changed.digestTime = time
            }
        case "triage":
            guard let minutes = DurationParser.minutes(text) else { throw Self.expected("triage") }
            changed.triageMinutes = minutes
        case "clock":
            switch text.lowercased() {
            case "24h", "24", "24 h", "24-hour": changed.clock = .h24
            case "12h", "12", "12 h", "12-hour": changed.clock = .h12
            default: throw Self.expected("clock")
            }
        case "calendar":
            guard !text.isEmpty, !text.contains(where: \.isWhitespace) || Self.isFirstAccount(text) else {
                throw Self.expected("calendar")
            }
            changed.defaultCalendarAccount = Self.isFirstAccount(text) ? nil : text
        case "vip":
            changed.vips = try Self.edit(changed.vips, "vip", text, what: "an email address") {
                EmailAddressSyntax.normalized($0)
            }
        case "mute":
            changed.muted = try Self.edit(changed.muted, "mute", text, what: "an email address or @domain",
                                          normalize: Self.senderOrDomain)
        case "noturgent":
            changed.notUrgent = try Self.edit(changed.notUrgent, "noturgent", text, what: "an email address or @domain",
                                              normalize: Self.senderOrDomain)
        case "keyword":
            changed.keywords = try Self.edit(changed.keywords, "keyword", text, what: "a keyword") { word in
                let keyword = word.lowercased()
                return keyword.count <= 64 ? keyword : nil
            }
        case "home":
            // Only the name is read here; whether the person has a private chat there is the caller's check.
            if ["last", "latest", "auto", "default"].contains(text.lowercased()) {
                changed.homePlatform = nil
            } else {
                guard let platform = Platform(rawValue: text.lowercased()) else { throw Self.expected("home") }
                changed.homePlatform = platform
            }
        default:
            let shown = key.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SettingsError("Unknown setting \"\(shown)\"; the keys are "
                                + Self.editableKeys.joined(separator: ", ") + ".")
        }
        self = changed
    }

    /// One line per key, e.g. `hours 09:00-18:00`, `quiet off`, `vip add boss@example.com`.
    public func summaryLines() -> [String] {
        [
            "timezone \(timeZone)",
            "hours \(workingHours.text)",
            "workdays \(Self.workdaysText(workdays))",
            "buffer \(bufferMinutes == 0 ? "0m" : Self.durationText(bufferMinutes))",
            "quiet \(quietHours?.text ?? "off")",
            "digest \(digestTime?.hhmm ?? "off")",
            "triage \(Self.durationText(triageMinutes))",
            "clock \(clock.rawValue)",
            "calendar \(defaultCalendarAccount ?? "(first account)")",
            vips.isEmpty ? "vip (none)" : "vip add \(vips.joined(separator: ","))",
            keywords.isEmpty ? "keyword (none)" : "keyword add \(keywords.joined(separator: ","))",
            muted.isEmpty ? "mute (none)" : "mute add \(muted.joined(separator: ","))",
            notUrgent.isEmpty ? "noturgent (none)" : "noturgent add \(notUrgent.joined(separator: ","))",
            "home \(homePlatform?.rawValue ?? "last")",
        ]
    }

    /// `/settings timezone` with no value: the current line and how to change it, e.g.
    /// "timezone Europe/Berlin\nChange it with: timezone: expected an IANA zone name, e.g. …". Nil for an unknown key.
    public func currentLine(for key: String) -> String? {
        let canonical = Self.canonicalKey(key)
        guard let line = summaryLines().first(where: { $0 == canonical || $0.hasPrefix(canonical + " ") }) else { return nil }
        let how = Self.expectations[canonical].map { "\nTo change it — \($0)" } ?? ""
        return line + how
    }

    /// `hours 9-5`: an end hour written 1–11 without am/pm and before the start means the afternoon
    /// (the same convention as "at 3" = 15:00).
    private static func afternoonEnd(_ window: DailyWindow?, _ text: String) -> DailyWindow? {
        guard let window, !(window.start < window.end) else { return window }
        let end = text.split(whereSeparator: { $0 == "-" || $0 == "\u{2013}" }).last?.trimmingCharacters(in: .whitespaces) ?? ""
        // `5` or `5:30`: digits only, so `5am` and `05:00` keep their meaning.
        guard let hour = Int(end.split(separator: ":").first ?? ""), end.allSatisfy({ $0.isNumber || $0 == ":" }),
              !end.hasPrefix("0"), (1...11).contains(hour), window.end.minutes + 12 * 60 > window.start.minutes else {
            return window
        }
        return DailyWindow(start: window.start, end: TimeOfDay(minutes: window.end.minutes + 12 * 60))
    }

    // MARK: Reading values

    private static let expectations: [String: String] = [
        "timezone": "timezone: expected an IANA zone name, e.g. timezone Europe/Berlin",
        "hours": "hours: expected HH:MM-HH:MM with the start before the end, e.g. hours 09:00-18:00",
        "workdays": "workdays: expected days such as mon-fri or mon,wed,fri, e.g. workdays mon-fri",
        "buffer": "buffer: expected a duration from 0m to 4h, e.g. buffer 15m",
        "quiet": "quiet: expected HH:MM-HH:MM or off, e.g. quiet 22:00-07:00",
        "digest": "digest: expected HH:MM or off, e.g. digest 08:00",
        "triage": "triage: expected a duration of at least 1m, e.g. triage 10m",
        "clock": "clock: expected 24h or 12h, e.g. clock 24h",
        "calendar": "calendar: expected an account from /accounts, e.g. calendar google:1",
        "vip": "vip: expected add|remove <address>, e.g. vip add boss@example.com",
        "keyword": "keyword: expected add|remove <word>, e.g. keyword add invoice",
        "mute": "mute: expected add|remove <address or @domain>, e.g. mute add news@shop.example",
        "noturgent": "noturgent: expected add|remove <address or @domain>, e.g. noturgent add team@example.com",
        "home": "home: expected a platform you talk to me on (/whoami lists them), or last, e.g. home telegram",
    ]

    private static func expected(_ key: String) -> SettingsError {
        SettingsError(expectations[key] ?? key)
    }

    /// `home` and its spellings: the one key whose value must also be checked against the person's chats.
    static func isHomeKey(_ key: String) -> Bool { canonicalKey(key) == "home" }

    private static func canonicalKey(_ key: String) -> String {
        switch key.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "timezone", "tz", "zone", "time-zone": "timezone"
        case "hours", "working-hours", "workinghours": "hours"
        case "workdays", "days", "working-days", "workingdays": "workdays"
        case "quiet", "quiet-hours", "quiethours": "quiet"
        case "vip", "vips": "vip"
        case "keyword", "keywords": "keyword"
        case "home", "home-chat", "homechat": "home"
        case let other: other
        }
    }

    private static func isOff(_ text: String) -> Bool {
        ["off", "none", "no", "disable", "disabled"].contains(text.lowercased())
    }

    private static func isFirstAccount(_ text: String) -> Bool {
        ["(first account)", "first account", "first", "default", "auto"].contains(text.lowercased())
    }

    private static func zoneIdentifier(_ text: String) throws(SettingsError) -> String {
        // Kept as typed: Foundation on Linux renames `UTC` to `GMT`, which would surprise the user.
        if !text.isEmpty, !text.contains(where: \.isWhitespace), TimeZone(identifier: text) != nil { return text }
        // `europe/berlin` is what was meant; the database spells it one way.
        let lowered = text.lowercased()
        if let known = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.lowercased() == lowered }) { return known }
        throw expected("timezone")
    }

    /// `09:00-18:00`, `9-18`, `9am - 6pm`, `22:00 to 07:00`. `24:00` may end working hours.
    private static func window(_ text: String, allowingEndOfDay: Bool) -> DailyWindow? {
        let unified = text.lowercased().replacingOccurrences(of: "\u{2013}", with: "-")
            .replacingOccurrences(of: "\u{2014}", with: "-").replacingOccurrences(of: " to ", with: "-")
        let sides = unified.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2, let start = TimeExpressionParser.parseTimeOfDay(sides[0]) else { return nil }
        if allowingEndOfDay, sides[1] == "24:00" || sides[1] == "24" {
            return DailyWindow(start: start, end: TimeOfDay(minutes: 24 * 60))
        }
        guard let end = TimeExpressionParser.parseTimeOfDay(sides[1]) else { return nil }
        return DailyWindow(start: start, end: end)
    }

    /// `mon-fri`, `mon,wed,fri`, `sat-sun`, `sun-thu` (ranges wrap past Sunday), `weekdays`, `every day`.
    private static func workdays(_ text: String) -> Set<Weekday>? {
        var lowered = text.lowercased()
        while lowered.contains(" -") || lowered.contains("- ") {
            lowered = lowered.replacingOccurrences(of: " -", with: "-").replacingOccurrences(of: "- ", with: "-")
        }
        switch lowered {
        case "weekdays": return [.monday, .tuesday, .wednesday, .thursday, .friday]
        case "weekend", "weekends": return [.saturday, .sunday]
        case "all", "every day", "everyday", "daily": return Set(Weekday.allCases)
        default: break
        }
        var days = Set<Weekday>()
        for part in lowered.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let first = weekday(ends[0]),
                  let last = ends.count == 2 ? weekday(ends[1]) : first else { return nil }
            var day = first
            days.insert(day)
            while day != last {
                day = Weekday(rawValue: day.rawValue % 7 + 1)!
                days.insert(day)
            }
        }
        return days.isEmpty ? nil : days
    }

    private static func weekday(_ text: Substring) -> Weekday? {
        TimeGrammar.weekday(String(text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))))
    }

    /// `add|remove <item>[,<item>…]`: adding what is there already is a no-op; removing what is not is an
    /// error (it was probably mistyped).
    /// An address, or `@domain` for a whole domain (the part after "@" must pass as an address's domain).
    private static func senderOrDomain(_ item: String) -> String? {
        guard item.hasPrefix("@") else { return EmailAddressSyntax.normalized(item) }
        return EmailAddressSyntax.normalized("x" + item).map { "@" + $0.dropFirst(2) }
    }

    private static func edit(_ list: [String], _ key: String, _ text: String, what: String,
                             normalize: (String) -> String?) throws(SettingsError) -> [String] {
        guard let split = text.firstIndex(where: \.isWhitespace) else { throw expected(key) }
        let verb = text[..<split].lowercased()
        let items = text[split...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty, items.allSatisfy({ !$0.isEmpty }) else { throw expected(key) }
        var result = list
        for item in items {
            guard let value = normalize(item) else {
                throw SettingsError("\(key): \"\(item)\" isn't \(what); \(expectations[key]!.dropFirst(key.count + 2))")
            }
            switch verb {
            case "add", "+":
                if !result.contains(value) { result.append(value) }
            case "remove", "rm", "delete", "del", "-":
                guard let index = result.firstIndex(of: value) else {
                    throw SettingsError("\(key): \(value) is not in the list; "
                                        + "\(expectations[key]!.dropFirst(key.count + 2))")
                }
                result.remove(at: index)
            default:
                throw expected(key)
            }
        }
        return result
    }

    // MARK: Showing values

    /// `15m`, `1h`, `1h30m`: what `DurationParser` reads back.
    static func durationText(_ minutes: Int) -> String {
        switch (minutes / 60, minutes % 60) {
        case (0, let rest): "\(rest)m"
        case (let hours, 0): "\(hours)h"
        case (let hours, let rest): "\(hours)h\(rest)m"
        }
    }

    /// Runs of consecutive days as ranges, wrapping past Sunday: `mon-fri`, `sun-thu`, `mon,wed,fri`.
    static func workdaysText(_ days: Set<Weekday>) -> String {
        let mondayFirst = Weekday.allCases.sorted()
        let included = mondayFirst.map(days.contains)
        if !included.contains(false) { return "mon-sun" }
        if !included.contains(true) { return "none" }
        var runs: [String] = []
        for start in 0..<7 where included[start] && !included[(start + 6) % 7] {
            var end = start
            while included[(end + 1) % 7] { end = (end + 1) % 7 }
            let first = mondayFirst[start].shortName.lowercased()
            runs.append(end == start ? first : "\(first)-\(mondayFirst[end].shortName.lowercased())")
        }
        return runs.joined(separator: ",")
    }
}
