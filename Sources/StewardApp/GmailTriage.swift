import Foundation
import GoogleWorkspace
import Logging
import MailProvider
import StewardCore
import StewardStorage

/// New Gmail messages → triage by rules → one alert per urgent message, pushed to the owner's DM.
///
/// Guarantees: mail already in the inbox when Gmail was connected is never alerted (the first run only
/// notes where the mailbox stands); each message is triaged and recorded once; an alert is queued with a
/// key made of account and message id, so it goes out once across restarts; during quiet hours an alert
/// is held (and sent when they end) unless the sender is a VIP. Mail text is only matched by rules,
/// never followed: nothing in a message leads to an action.
struct GmailTriage: Sendable {
    let google: GoogleCalendars
    let store: SQLiteStore
    /// The model for mail no rule decides; nil: such mail is `fyi`.
    let classifier: MailClassifier?
    let delivered: @Sendable () -> Void
    let logger: Logger
    var clock: StewardClock = .system

    static func historyKey(_ account: Account) -> String { "gmail.history.\(account.id)" }
    static func lastRunKey(_ account: Account) -> String { "gmail.lastTriage.\(account.id)" }

    /// Every mail-enabled account whose owner's triage interval has passed.
    func runDue() async throws {
        let now = clock.now()
        for account in try await store.allAccounts()
        where account.hasGmail && account.status == "ok" {
            let settings = try await store.settings(of: account.userID)
            if let last = try await store.value(Self.lastRunKey(account)).flatMap(Double.init),
               now.timeIntervalSince1970 - last < TimeInterval(settings.triageMinutes * 60) - 5 { continue }
            do {
                try await triage(account, settings: settings, now: now)
                try await store.setValue("\(now.timeIntervalSince1970)", for: Self.lastRunKey(account))
            } catch {
                logger.warning("Gmail triage failed", metadata: ["account": "\(account.reference)", "error": "\(error)"])
            }
        }
    }

    /// Marks where the mailbox stands, so only mail arriving from now on is triaged and alerted.
    func startWatching(_ account: Account) async throws {
        let gmail = try await client(for: account)
        try await store.setValue(try await gmail.profile().historyId, for: Self.historyKey(account))
    }

    private func client(for account: Account) async throws -> GmailClient {
        GmailClient(api: try await google.connection(for: account).remote.client)
    }

    func triage(_ account: Account, settings: UserSettings, now: Date) async throws {
        let gmail = try await client(for: account)
        guard let since = try await store.value(Self.historyKey(account)) else {
            return try await startWatching(account)
        }
        let changes: GmailHistoryChanges
        do {
            changes = try await gmail.history(since: since, labelID: "INBOX")
        } catch GmailError.historyExpired {
            // Too old to catch up message by message: start again from here (/inbox still covers it).
            logger.notice("Gmail history expired; watching from now", metadata: ["account": "\(account.reference)"])
            return try await startWatching(account)
        }
        let rules = MailTriage(settings: settings)
        var triaged: [(raw: GmailRawMessage, message: MailMessage, result: TriageResult)] = []
        for added in changes.addedMessages {
            let raw = try await gmail.rawMessage(id: added.id)
            let message = MailParser.parse(raw.raw, id: raw.id, threadID: raw.threadID, labels: raw.labelIDs)
            triaged.append((raw, message, rules.triage(message)))
        }
        // What no rule decides is information, unless a configured model rates it: one request for the lot.
        let rated = await classifier?.categories(of: triaged.filter(\.result.isUndecided).map(\.message),
                                                 user: account.userID, zone: settings.zone, now: now) ?? [:]
        for (raw, message, result) in triaged {
            var (category, reason) = (result.category, result.reason)
            if result.isUndecided { (category, reason) = rated[message.id] ?? (.fyi, result.reason) }
            _ = try await store.record(TriagedMail(
                accountID: account.id, messageID: raw.id, from: message.from.description, subject: message.subject,
                receivedAt: raw.internalDate ?? message.date ?? now, category: category, reason: reason))
        }
        try await store.setValue(changes.historyID, for: Self.historyKey(account))
        try await sendAlerts(account, settings: settings, now: now)
    }

    /// Alerts for urgent mail not yet alerted: now, or after quiet hours unless the sender is a VIP.
    private func sendAlerts(_ account: Account, settings: UserSettings, now: Date) async throws {
        guard let home = try await store.homeChat(of: account.userID), home.isActive else { return }
        let clock = Calendar.gregorian(settings.zone).dateComponents([.hour, .minute], from: now)
        let quiet = settings.quietHours?.contains(TimeOfDay(hour: clock.hour ?? 0, minute: clock.minute ?? 0)) ?? false
        let vips = Set(settings.vips.map(MailAddress.normalize))
        var queued = false
        for mail in try await store.unalertedUrgent(accountID: account.id) {
            let sender = MailAddress.normalize(MailAddressParser.parseOne(Substring(mail.from))?.address ?? mail.from)
            if quiet && !vips.contains(sender) { continue }
            // The card's buttons (Draft reply / Archive / Mute sender) are stored requests of the owner's.
            let card = try await MailAlerts.card(for: mail, user: account.userID, chat: home.chat, approvals: store,
                                                 digest: sha256Hex, now: now)
            // Sent by real time, whatever the (test) clock says.
            try await store.enqueue([(key: "mail-alert:\(account.id):\(mail.messageID)",
                                      delivery: .send(chat: home.chat, message: card))], at: Date())
            try await store.markAlerted(accountID: account.id, messageID: mail.messageID, at: now)
            queued = true
        }
        if queued { delivered() }
    }
}
