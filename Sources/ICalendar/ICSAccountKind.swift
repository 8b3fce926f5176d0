import StewardCore

extension AccountKind {
    /// A calendar file or URL, added on the server (it holds a path or a private URL, not a chat thing).
    public static let ics = AccountKind(
        name: "ics", features: [.calendar],
        serverCommand: { user in "steward accounts add ics --user \(user) --file PATH" })
}
