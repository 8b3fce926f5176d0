/// Every chat command, its usage line and a one-line description. `/help`, the platforms' command
/// menus, the chat app manifest (in `deploy/`), the README's command table
/// and the parsers' usage messages all read from here so they cannot drift. `all` lists only what this
/// build does; `roadmap` what it doesn't do yet (shown only in the README's roadmap section). What
/// `/connect` takes comes from the server's registered account kinds: `catalogue(for:)`.
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
        .init(name: "plans", arguments: "", summary: "Reminders, follow-ups and plans that wait, with Cancel"),
        .init(name: "remind", arguments: "<when> to <what>", summary: "A reminder pushed to you once, e.g. /remind tomorrow 9:00 to call Sam"),
        .init(name: "settings", arguments: "[key value]", summary: "Show or change your settings"),
        .init(name: "remember", arguments: "<fact>", summary: "Remember a preference or fact"),
        .init(name: "memory", arguments: "[words]", summary: "What Steward remembers, or search it"),
        .init(name: "forget", arguments: "<id>", summary: "Forget a remembered fact"),
        // Worded by the registered account kinds: `catalogue(for:)`.
        .init(name: "connect", arguments: "<account>", summary: "Connect an account"),
        .init(name: "accounts", arguments: "", summary: "Your connected accounts"),
        .init(name: "status", arguments: "", summary: "Health of Steward and your accounts"),
        .init(name: "link", arguments: "[code]", summary: "Be one person on several platforms: a code here, /link <code> there"),
        .init(name: "whoami", arguments: "", summary: "Your linked identities and home chat"),
        .init(name: "unlink", arguments: "<platform:id>", summary: "Separate one linked identity again"),
    ]

    /// Commands the design names that this build refuses; never offered in `/help` or to the platforms.
    public static let roadmap: [ChatCommand] = [
    ]

    /// A command this build does, or one on the roadmap (its usage line still explains a refusal).
    public static func named(_ name: String) -> ChatCommand? {
        let name = name.lowercased()
        return all.first { $0.name == name } ?? roadmap.first { $0.name == name }
    }
}
