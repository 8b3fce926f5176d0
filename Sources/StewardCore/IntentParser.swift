import Foundation

/// The deterministic half of understanding the user: chat commands and the common phrasings of free text.
///
/// Guarantees:
/// - Commands (`.command`) always produce an intent: the command's, `.usage(message)` naming the usage line
///   and an example when the arguments are missing or unreadable, or `.usage` for an unknown command.
/// - Free text (`.message`) produces an intent only for phrasings it recognises in full (case, punctuation
///   and polite filler such as "hey", "please", "can you" do not matter); everything else is
///   `.unknown(text)` for the LLM planner, never a guess.
/// - Button taps (`.action`) are `.unknown("")`: the orchestrator resolves their tokens itself.
/// - Times are read by `TimeExpressionParser` in `context.timeZone`, so its conventions apply.
/// - Titles, facts and approval ids keep the case the user typed.
///
/// Command details: `/week` is today plus the next six days; `/agenda <when>` lists the whole days `when`
/// touches; `/free` without `when` leaves `within` nil, and with an instant searches from it to the end of
/// its day; `/settings key` without a value gives `.settings(key:, value: nil)`; `/approve [id]` and
/// `/reject [id]` give `.decide`; `/connect` takes the registered account kinds.
///
/// Pure and allocation-light: no regex, formatter or `Calendar`; a typical message costs a few
/// microseconds.
public struct IntentParser: Sendable {
    /// The account kinds `/connect` accepts; with none registered, any one-word kind is passed on.
    public var accountKinds: AccountKinds

    public init(accountKinds: AccountKinds = AccountKinds()) {
        self.accountKinds = accountKinds
    }

    public func parse(_ kind: InboundEvent.Kind, context: ParseContext) -> Intent {
        switch kind {
        case .command(let name, let arguments):
            guard Self.isShortEnough(name), Self.isShortEnough(arguments) else {
                return .usage(message: Self.tooLongCommand)
            }
            return command(name.lowercased(), arguments, context: context)
        case .message(let text):
            guard Self.isShortEnough(text) else { return .usage(message: Self.tooLongMessage) }
            // "link K7PQ2MXH" (or "/link …" where the platform passes a slash as text): a link code.
            if let code = LinkHandler.typedCode(text) { return .link(code) }
            return message(text, context: context)
        case .action: return .unknown("")
        }
    }

    /// Longer commands and messages are not read at all: no one types a request this long, and a bound
    /// keeps every parser of chat text cheap whatever arrives (the largest chat messages are about as long).
    public static let maximumCharacters = 4_096
    static let tooLongCommand = "That command is too long for me to read (over 4,096 characters), so I did nothing."
    static let tooLongMessage = "That message is too long for me to read (over 4,096 characters); "
        + "please send a shorter one."

    /// Counts at most one character past the limit, so a huge input costs no more than a short one.
    private static func isShortEnough(_ text: String) -> Bool {
        text.utf8.count <= maximumCharacters || text.dropFirst(maximumCharacters).isEmpty
    }

    // MARK: Commands

    private func command(_ name: String, _ arguments: String, context: ParseContext) -> Intent {
        let text = arguments.trimmingWhitespace()
        switch name {
        case "start": return .start
        case "help": return .help
        case "today": return .agenda(days(context, offset: 0, count: 1))
        case "tomorrow": return .agenda(days(context, offset: 1, count: 1))
        case "week": return .agenda(days(context, offset: 0, count: 7))
        case "next": return .next
        case "inbox": return .inbox
        case "reply":
            // `/reply all 2 …` copies everyone the mail went to, like "reply all to 2 …".
            let all = text.lowercased().hasPrefix("all ")
            return Self.mailReply((all ? "reply all to " + text.dropFirst(4) : "reply to " + text))
                ?? Self.usage("reply", problem: "Which mail, and what should I say?")
        case "digest": return .digest
        case "approvals": return .approvals
        case "plans": return .followUp(.list)
        case "remind":
            return Self.reminderArguments(Phrase.tokens(text)[...], text, TimeExpressionParser(context: context),
                                          asked: "/remind " + text)
        case "memory": return .memory(text.isEmpty ? nil : text)
        case "accounts": return .accounts
        case "link": return .link(text.isEmpty ? nil : text)
        case "whoami": return .whoami
        case "unlink":
            guard !text.isEmpty else { return Self.usage("unlink", problem: "Which identity? /whoami lists them.") }
            return .unlink(text)
        case "status": return .status
        case "agenda":
            let parser = TimeExpressionParser(context: context)
            guard !text.isEmpty else { return Self.usage("agenda", problem: "Which day?") }
            guard let resolved = parser.resolve(Phrase.tokens(text)[...]) else {
                return Self.usage("agenda", problem: "I couldn't read \"\(text)\" as a day or range.")
            }
            return .agenda(parser.clock.wholeDays(covering: resolved.timeRef))
        case "free": return free(text, context: context)
        case "move", "cancel": return eventChangeCommand(name, text, context: context)
        case "book":
            let parser = TimeExpressionParser(context: context)
            let tokens = Phrase.tokens(text)
            switch BookingRequest.read(tokens[...], in: text, parser: parser) {
            case .success(let booking):
                return booking.intent(title: booking.title)
            case .failure(let problem):
                return Self.usage("book", problem: problem.message)
            }
        case "approve", "reject":
            let id = Phrase.tokens(text).first.map { Self.approvalID(text, $0) }
            return .decide(approvalID: id, approve: name == "approve")
        case "remember":
            guard !text.isEmpty else { return Self.usage("remember", problem: "What should I remember?") }
            return .remember(text)
        case "forget":
            guard let id = Phrase.tokens(text).first.map({ String(text[$0.range]) }) else {
                return Self.usage("forget", problem: "Which fact? /memory lists them with their ids.")
            }
            return .forget(id)
        case "settings":
            guard let split = text.firstIndex(where: \.isWhitespace) else {
                return text.isEmpty ? .settings(key: nil, value: nil) : .settings(key: text.lowercased(), value: nil)
            }
            let value = text[split...].trimmingWhitespace()
            return .settings(key: text[..<split].lowercased(), value: value.isEmpty ? nil : value)
        case "connect":
            let provider = text.lowercased()
            guard isAccountKind(provider) else {
                let offered = accountKinds.all.filter { $0.linkPurpose != nil }.map(\.name)
                let use = offered.isEmpty ? "." : "; use " + offered.joined(separator: " or ") + "."
                let entry = ChatCommand.connect(accountKinds)
                let example = offered.first.map { ", e.g. /connect \($0)" } ?? ""
                return .usage(message: (text.isEmpty ? "Connect which account?" : "I can't connect \"\(text)\"" + use)
                              + " Usage: \((entry ?? ChatCommand.named("connect"))?.usage ?? "/connect")\(example)")
            }
            return .connect(provider)
        default:
            let guess = Self.closestCommand(to: name).map { " Did you mean /\($0)?" } ?? ""
            return .usage(message: "Unknown command /\(name).\(guess) Send /help to see what I can do.")
        }
    }

    /// `/tody` → `today`: the catalogue command within two edits (a typo), if exactly one is closest.
    static func closestCommand(to name: String) -> String? {
        let typed = Array(name.lowercased())
        guard (2...20).contains(typed.count) else { return nil }
        let scored = ChatCommand.all.map { ($0.name, editDistance(typed, Array($0.name))) }.filter { $0.1 <= 2 }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return scored.filter { $0.1 == best.1 }.count == 1 ? best.0 : nil
    }

    /// Levenshtein distance, with adjacent swaps counting one (`/tdoay`).
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var rows = [Array(0...b.count)]
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { row[j] = min(row[j], rows[i - 2][j - 2] + 1) }
            }
            rows.append(row)
        }
        return rows[a.count][b.count]
    }

    /// A registered kind; without a registry, one short word (the orchestrator answers what it can't connect).
    private func isAccountKind(_ word: String) -> Bool {
        if !accountKinds.all.isEmpty { return accountKinds[word] != nil }
        return (1...32).contains(word.count) && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// `/free <duration> [when] [with a@x.com,…]`: the duration leads; the rest is an optional time.
    private func free(_ text: String, context: ParseContext) -> Intent {
        let parser = TimeExpressionParser(context: context)
        var tokens = Phrase.tokens(text)
        let attendees: [String]
        switch Attendees.extract(from: &tokens, in: text) {
        case .success(let found): attendees = found
        case .failure(let problem): return Self.usage("free", problem: problem.message)
        }
        if tokens.first?.word == "for" { tokens.removeFirst() }
        guard !tokens.isEmpty else { return Self.usage("free", problem: "How long?") }
        var length = min(4, tokens.count)
        while length > 0 {
            if let minutes = DurationParser.minutes(tokens[..<length], requireUnit: false) {
                let rest = tokens[length...]
                if rest.isEmpty { return .findFree(minutes: minutes, within: nil, attendees: attendees) }
                if let resolved = parser.resolve(rest) {
                    // "tomorrow morning" searches the morning, not the whole day.
                    let window = parser.partOfDayWindow(rest) ?? parser.searchWindow(resolved.timeRef)
                    return .findFree(minutes: minutes, within: window, attendees: attendees)
                }
            }
            length -= 1
        }
        if DurationParser.minutes(tokens[..<1], requireUnit: false) != nil {
            let rest = Phrase.original(text, tokens.dropFirst())
            return Self.usage("free", problem: "I couldn't read \"\(rest)\" as a day or time.")
        }
        return Self.usage("free", problem: "\"\(tokens[0].word)\" isn't a duration (up to 24h).")
    }

    private func days(_ context: ParseContext, offset: Int, count: Int) -> DateInterval {
        let clock = LocalClock(zone: context.timeZone)
        return clock.days(clock.local(context.now).day + offset, count: count)
    }

    /// An approval id as typed, without a leading `#`.
    static func approvalID(_ text: String, _ token: PhraseToken) -> String {
        let raw = text[token.range]
        return String(raw.hasPrefix("#") ? raw.dropFirst() : raw)
    }

    // MARK: Usage

    private static let examples: [String: String] = [
        "agenda": "/agenda friday",
        "free": "/free 30m tomorrow",
        "book": "/book Dentist friday 3pm for 45m",
        "remember": "/remember I prefer morning meetings",
        "forget": "/forget 3",
        "reply": "/reply 2 Thanks, I'll send it tonight (the number from /inbox)",
        "move": "/move my 2pm to thursday 10am",
        "cancel": "/cancel Dentist",
        "unlink": "/unlink slack:U0ABC",
    ]

    /// One line: the problem, the command's usage line from `ChatCommand`, an example.
    static func usage(_ name: String, problem: String) -> Intent {
        let line = ChatCommand.named(name)?.usage ?? "/\(name)"
        let example = examples[name].map { ", e.g. \($0)" } ?? ""
        return .usage(message: "\(problem) Usage: \(line)\(example)")
    }
}

extension TimeExpressionParser {
    /// Where to search for free time: a span of days as is; an instant up to the end of its local day.
    func searchWindow(_ ref: TimeRef) -> DateInterval {
        switch ref {
        case .days(let interval): interval
        case .instant(let date): DateInterval(start: date, end: clock.startOfDay(clock.local(date).day + 1))
        }
    }
}
