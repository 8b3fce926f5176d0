import Foundation
import GoogleWorkspace
import Logging
import MailProvider
import Metrics
import StewardCore
import StewardRuntime

/// New Gmail messages → triage by rules → one alert per urgent message, pushed to the owner's DM.
///
/// Guarantees: mail already in the inbox when Gmail was connected is never alerted (the first run only
/// notes where the mailbox stands); each message is triaged and recorded once; an alert is queued with a
/// key made of account and message id, so it goes out once across restarts; during quiet hours an alert
/// is held (and sent when they end) unless the sender is a VIP. Mail text is only matched by rules,
/// never followed: nothing in a message leads to an action.
///
/// One mail never blocks the others: a message deleted before it is fetched is skipped, one too large to
/// fetch whole is triaged from its headers, one that fails is tried again in the next cycles and skipped
/// after `maxFetchAttempts`; the history cursor moves past everything either way. A failing cycle waits
/// longer each time (`GmailTriage+Health.swift`) and shows in `/status` and `steward doctor`.
/// What triage reads and writes: the accounts and their owners' settings, its cursors, the triaged mail,
/// the alert cards' requests and the outbox. The composition root passes the store.
typealias TriageStore = AccountRepository & UserRepository & StateRepository & TriageLog & ApprovalRepository
    & OutboxRepository

struct GmailTriage: Sendable {
    let google: GoogleCalendars
    let store: any TriageStore
    /// The model for mail no rule decides; nil: such mail is `fyi`.
    let classifier: MailClassifier?
    let delivered: @Sendable () -> Void
    let logger: Logger
    var clock: StewardClock = .system
    /// The Gmail client of an account; nil: the account's Google connection (tests pass a client with a
    /// quick retry policy).
    var clients: (@Sendable (Account) async throws -> GmailClient)?

    /// Above this `sizeEstimate` a message is triaged from `format=metadata` (headers and snippet) rather
    /// than fetched whole: Gmail documents no limit for `format=raw`, but a 40 MB attachment base64-encoded
    /// in JSON would cost Steward over 100 MB of memory for text the rules never need.
    static let rawSizeLimit = 10 * 1024 * 1024
    /// A message whose fetch fails in this many cycles is skipped for good (and counted in /status).
    static let maxFetchAttempts = 3

    static func historyKey(_ account: Account) -> String { "gmail.history.\(account.id)" }
    static func lastRunKey(_ account: Account) -> String { "gmail.lastTriage.\(account.id)" }

    /// Every mail-enabled account whose owner's triage interval has passed and that is not waiting out
    /// a failure. A failed cycle is recorded for the account (with when to try next), not rethrown, so one
    /// account's trouble doesn't hold the others.
    func runDue() async throws {
        let now = clock.now()
        // One cycle is one account's triage; both families exist from the first pass, failures at zero.
        let cycles = Counter(label: "steward_triage_cycles_total")
        let failures = Counter(label: "steward_triage_failures_total")
        let accounts = try await store.allAccounts()
        try await forgetHealth(exceptOf: accounts)
        for account in accounts where account.hasGmail && account.status == "ok" {
            let settings = try await store.settings(of: account.userID)
            let interval = TimeInterval(settings.triageMinutes * 60)
            if let failing = try await health(of: account).failing, now < failing.nextTry { continue }
            if let last = try await store.value(Self.lastRunKey(account)).flatMap(Double.init),
               now.timeIntervalSince1970 - last < interval - 5 { continue }
            cycles.increment()
            do {
                try await triage(account, settings: settings, now: now)
                try await store.setValue("\(now.timeIntervalSince1970)", for: Self.lastRunKey(account))
                try await recordSuccess(account)
            } catch {
                failures.increment()
                logger.warning("Gmail triage failed", metadata: ["account": "\(account.reference)", "error": "\(error)"])
                try await recordFailure(account, error: error, interval: interval, now: now)
            }
        }
    }

    /// Marks where the mailbox stands, so only mail arriving from now on is triaged and alerted.
    func startWatching(_ account: Account) async throws {
        let gmail = try await client(for: account)
        try await store.setValue(try await gmail.profile().historyId, for: Self.historyKey(account))
    }

    private func client(for account: Account) async throws -> GmailClient {
        if let clients { return try await clients(account) }
        return GmailClient(api: try await google.connection(for: account).remote.client)
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
        var rules = MailTriage(settings: settings)
        rules.mailbox = "Gmail"
        var triaged: [(fetched: FetchedMail, result: TriageResult)] = []
        // What arrived since comes first (an urgent mail waits for no old trouble), then what failed before.
        var retries = try await health(of: account).retries
        let ids = changes.addedMessages.map(\.id).filter { retries[$0] == nil } + retries.keys.sorted()
        var outage: GoogleError?
        for id in ids {
            // Google's circuit breaker is open: no fetch can succeed now, and no message is to blame.
            if outage != nil {
                retries[id] = retries[id] ?? 0
                continue
            }
            do {
                if let fetched = try await fetch(id, from: gmail) { triaged.append((fetched, rules.triage(fetched.message))) }
                retries[id] = nil
            } catch let error as GoogleError where error == .notFound {
                retries[id] = nil  // deleted since the history listed it: nothing left to triage
            } catch let error as GoogleError where error == .unavailable {
                outage = error
                retries[id] = retries[id] ?? 0
            } catch {
                // One message's trouble is that message's: it is tried again next cycle, a few times. A
                // Gmail outage fails `history.list` too, and that is what makes the whole cycle back off.
                retries[id, default: 0] += 1
                if retries[id, default: 0] >= Self.maxFetchAttempts {
                    retries[id] = nil
                    logger.warning("Gmail message skipped after failing every try",
                                   metadata: ["account": "\(account.reference)", "message": "\(id)", "error": "\(error)"])
                    try await recordSkipped(account, messageID: id, error: error)
                }
            }
        }
        // What no rule decides is information, unless a configured model rates it: one request for the lot.
        let rated = await classifier?.categories(of: triaged.filter(\.result.isUndecided).map(\.fetched.message),
                                                 user: account.userID, zone: settings.zone, now: now) ?? [:]
        for (fetched, result) in triaged {
            let message = fetched.message
            var (category, reason) = (result.category, result.reason)
            if result.isUndecided { (category, reason) = rated[message.id] ?? (.fyi, result.reason) }
            _ = try await store.record(TriagedMail(
                accountID: account.id, messageID: fetched.id, from: message.from.description, subject: message.subject,
                receivedAt: fetched.internalDate ?? message.date ?? now, category: category, reason: reason))
        }
        // The cursor moves past everything listed; what failed is kept to try again, by id.
        try await saveRetries(retries, of: account)
        try await store.setValue(changes.historyID, for: Self.historyKey(account))
        try await sendAlerts(account, settings: settings, now: now)
        // The messages left are kept; the cycle counts as failed, so the next waits longer.
        if let outage { throw outage }
    }

    /// Alerts for urgent mail not yet alerted: now, or after quiet hours unless the sender is a VIP.
    private func sendAlerts(_ account: Account, settings: UserSettings, now: Date) async throws {
        // Alerts go out like every proactive push: to the active home chat, once per key.
        let notifier = HomeChatNotifier(users: store, outbox: store, wake: delivered)
        guard let chat = try await notifier.homeChat(of: account.userID) else { return }
        let clock = settings.calendar.dateComponents([.hour, .minute], from: now)
        let quiet = settings.quietHours?.contains(TimeOfDay(hour: clock.hour ?? 0, minute: clock.minute ?? 0)) ?? false
        let vips = Set(settings.vips.map(MailAddress.normalize))
        for mail in try await store.unalertedUrgent(accountID: account.id) {
            let sender = MailAddress.normalize(MailAddressParser.parseOne(Substring(mail.from))?.address ?? mail.from)
            if quiet && !vips.contains(sender) { continue }
            // The card's buttons (Draft reply / Archive / Mute sender) are stored requests of the owner's.
            let card = try await MailAlerts.card(for: mail, user: account.userID, chat: chat, approvals: store,
                                                 digest: sha256Hex, now: now)
            try await notifier.push(card, to: account.userID, key: "mail-alert:\(account.id):\(mail.messageID)")
            try await store.markAlerted(accountID: account.id, messageID: mail.messageID, at: now)
        }
    }
}
