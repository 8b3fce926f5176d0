import GoogleWorkspace
import ICalendar
import StewardCore

extension AccountKinds {
    /// Every account kind this build implements, in the order chat suggests them: the composition root's
    /// registration, so Core never names a provider.
    /// CalDAV and IMAP are recognised so `/connect` says they can't be connected yet, rather than that
    /// it doesn't know them.
    public static let standard = AccountKinds([
        .google, .gmail, .ics,
        AccountKind(name: "caldav", features: [.calendar]), AccountKind(name: "imap", features: [.mail]),
    ])
}
