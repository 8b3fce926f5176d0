import StewardCore

extension AccountKind {
    /// A Google account's calendar, connected from chat with OAuth.
    public static let google = AccountKind(
        name: "google", features: [.calendar, .othersFreeBusy],
        linkPurpose: "read your Google Calendar (I change it only after you tap Approve)",
        unavailable: "Google isn't set up on this server: its owner needs to set GOOGLE_CLIENT_ID and "
            + "GOOGLE_CLIENT_SECRET (see bot.env.example) and restart Steward.",
        displayName: "Google")

    /// Gmail, added to a connected Google account with a second consent.
    public static let gmail = AccountKind(
        name: "gmail", features: [.mail],
        linkPurpose: "triage your Gmail (I send, delete or change nothing without your Approve)",
        unavailable: "Connecting Gmail isn't available in this version yet; /connect google connects your calendar.",
        addsTo: "Google", displayName: "Gmail")
}

extension Account {
    /// A Google account whose mail Steward reads (`/connect gmail` was completed for it).
    public var hasGmail: Bool { kind == AccountKind.google.name && readsMail }
}
