/// Every chat command, its usage line and a one-line description. `/help`, Telegram's
/// `setMyCommands` and the parsers' usage messages all read from here so they cannot drift.
public struct ChatCommand: Hashable, Sendable {
    public var name: String
    /// Arguments as shown in usage, e.g. `<duration> [when] [with a@x.com,…]`.
    public var arguments: String
    public var summary: String

    public var usage: String { arguments.isEmpty ? "/\(name)" : "/\(name) \(arguments)" }

    public static let all: [ChatCommand] = [
        .init(name: "start", arguments: "", summary: "Introduce Steward and record this chat as your home chat"),
        .init(name: "help", arguments: "", summary: "What Steward can do"),
        .init(name: "today", arguments: "", summary: "Today's events"),
        .init(name: "tomorrow", arguments: "", summary: "Tomorrow's events"),
        .init(name: "week", arguments: "", summary: "The next seven days"),
        .init(name: "agenda", arguments: "<when>", summary: "Events on a day or range, e.g. /agenda friday"),
        .init(name: "next", arguments: "", summary: "Your next event"),
        .init(name: "free", arguments: "<duration> [when] [with a@x.com,…]", summary: "Find free time, e.g. /free 30m tomorrow"),
        .init(name: "book", arguments: "<title> <when> [for <duration>] [with a@x.com,…]", summary: "Add an event (asks for approval)"),
        .init(name: "move", arguments: "<event> to <when>", summary: "Move an event, e.g. /move my 2pm to thursday 10am (asks for approval)"),
        .init(name: "cancel", arguments: "<event>", summary: "Cancel an event, e.g. /cancel Dentist (asks for approval)"),
        .init(name: "inbox", arguments: "", summary: "Mail that needs you"),
        .init(name: "reply", arguments: "<n> <text>", summary: "Reply to mail number n from /inbox"),
        .init(name: "digest", arguments: "", summary: "Today's digest now"),
        .init(name: "approvals", arguments: "", summary: "Actions waiting for your approval"),
        .init(name: "remember", arguments: "<fact>", summary: "Remember a preference or fact"),
        .init(name: "memory", arguments: "", summary: "What Steward remembers"),
        .init(name: "forget", arguments: "<id>", summary: "Forget a remembered fact"),
        .init(name: "settings", arguments: "[key value]", summary: "Show or change your settings"),
        .init(name: "connect", arguments: "google|caldav|imap", summary: "Connect an account"),
        .init(name: "accounts", arguments: "", summary: "Your connected accounts"),
        .init(name: "status", arguments: "", summary: "Health of Steward and your accounts"),
    ]

    public static func named(_ name: String) -> ChatCommand? {
        all.first { $0.name == name.lowercased() }
    }
}
