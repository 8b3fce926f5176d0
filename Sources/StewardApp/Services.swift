import Foundation
import Logging
import StewardCore
import StewardHTTP
import StewardRuntime
import StewardStorage

/// The composition root: the only place that knows every concrete type. Tests boot the same root.
public final class Services: Sendable {
    public let configuration: Configuration
    public let store: SQLiteStore
    public let http: AsyncHTTPTransport
    public let access: AccessPolicy
    let orchestrator: Orchestrator
    let processor: InboundProcessor
    let dispatcher: OutboxDispatcher
    let scheduler: Scheduler
    let google: GoogleParts?
    let logger: Logger
    /// Steward's idea of now: the system clock, `STEWARD_TEST_CLOCK_FILE`, or a test's injected clock.
    let clock: StewardClock

    /// Wires storage, the orchestrator and the delivery channels made with `http` (its transport, shut down
    /// with it). `channels` are the platforms this process sends to; `consoleIdentity` (when running the
    /// terminal chat) is an owner.
    init(configuration: Configuration, store: SQLiteStore, http: AsyncHTTPTransport, channels: [any DeliveryChannel],
         presence: [Platform: any ChatPresence], consoleIdentity: ChatIdentity?, statusPlatforms: [Platform],
         clock: StewardClock) {
        self.configuration = configuration
        logger = Logger(label: "steward")
        StewardMetrics.bootstrap()
        self.store = store
        self.http = http
        self.clock = clock
        var owners = Set(configuration.owners)
        if let consoleIdentity { owners.insert(consoleIdentity) }
        access = AccessPolicy(owners: owners, allowed: Set(configuration.allowedUsers),
                              defaultTimeZone: configuration.defaultTimeZone)
        let dispatcher = OutboxDispatcher(outbox: store, users: store,
                                          channels: Dictionary(uniqueKeysWithValues: channels.map { ($0.platform, $0) }),
                                          logger: logger)
        self.dispatcher = dispatcher
        let model = ModelParts(configuration: configuration, http: http.measured(as: "model"), store: store, logger: logger)
        let notifier = HomeChatNotifier(users: store, outbox: store, wake: { dispatcher.wake() })
        let google = GoogleParts(configuration: configuration, store: store, http: http.measured(as: "google"),
                                 classifier: model?.classifier, clock: clock, notifier: notifier,
                                 delivered: { dispatcher.wake() }, logger: logger)
        self.google = google
        let directory = AccountCalendarDirectory(accounts: store, users: store,
                                                 http: ICSFeedFetcher(transport: http.measured(as: "ics")),
                                                 dataDirectory: configuration.dataDirectory, google: google?.calendars)
        let status = RuntimeStatus(startedAt: Date(), outbox: store, state: store, jobs: store,
                                   platforms: statusPlatforms)
        let database = self.store  // the stored property, for closures built before `store` is shadowed below
        let gmail = google.map { GmailAccess(google: $0.calendars, store: database) }
        // The model's slow answers show their steps in a message that becomes the answer.
        let working = model == nil ? nil
            : WorkingMessages(channels: Dictionary(uniqueKeysWithValues: channels.map { ($0.platform, $0) }), logger: logger)
        // Every dependency at init: nothing is filled in later.
        let log = logger  // closures below may not capture `self` before every member is set
        // With LLM_EMBEDDINGS_MODEL, memory is also searched by meaning (facts embedded when saved).
        let memory = ModelParts.memory(store, configuration: configuration, http: http.measured(as: "model"), logger: logger)
        let memoryForCommands = ModelParts.memory(store, configuration: configuration, http: http.measured(as: "model"),
                                                  searchesByMeaning: false, logger: logger)
        orchestrator = Orchestrator(
            users: store, approvals: store, audit: store, calendars: directory, status: status, access: access,
            digest: sha256Hex, now: { clock.now() }, channels: PlatformKinds(channels: channels), accountKinds: .standard,
            connector: google?.connect, mail: store, mailSender: gmail.map { GmailReplySender(gmail: $0) },
            replyWriter: gmail.flatMap { gmail in model.map { ModelReplyWriter(parts: $0, gmail: gmail, logger: log) } },
            planningProgress: working,
            freeTextPlanner: model.map { PlannerDeadline(LLMFreeTextPlanner(
                parts: $0, directory: directory, store: database, mail: google == nil ? nil : database, gmail: gmail,
                memory: memory, audit: database, logger: log)) },
            followUps: store, followUpMail: gmail.map { FollowUpGmail(gmail: $0) },
            plans: store, planProgress: PlanProgressQueue(notifier: notifier), memory: memoryForCommands)
        // Answers reach the dispatcher from the store itself when it can tell it (no read-back, no wake).
        let seesAnswers = dispatcher.seesQueuedRows
        processor = InboundProcessor(inbound: store, orchestrator: orchestrator, presence: presence, working: working,
                                     delivered: { if !seesAnswers { dispatcher.wake() } }, logger: logger)
        let orchestrator = orchestrator
        let store = store
        let followUpJob = FollowUpJob(followUps: store, users: store, mail: orchestrator.followUpMail, notifier: notifier,
                                      now: { clock.now() }, logger: logger)
        scheduler = Scheduler(jobs: store, definitions: [
            .init(name: "approval-expiry", interval: 300) {
                try await notifier.queue(try await orchestrator.expireOverdue())
            },
            // Checked twice a minute; the outbox key (user and local day) makes each digest go out once,
            // across restarts too.
            .init(name: "daily-digest", interval: 30) {
                let now = clock.now()
                // One read over everyone's settings keeps only users whose digest is due; only they cost more.
                for (user, settings) in try await store.allSettings(where: { DigestSchedule.dueDay(at: now, settings: $0) != nil }) {
                    guard let day = DigestSchedule.dueDay(at: now, settings: settings),
                          try await notifier.homeChat(of: user) != nil else { continue }
                    let key = "digest:\(user):\(day)"
                    guard try await !notifier.wasQueued(key),
                          let digest = try await orchestrator.dailyDigest(for: user, on: day) else { continue }
                    try await notifier.push(digest, to: user, key: key)
                }
            },
            // Reminders and no-reply follow-ups: each due one pushes once (see FollowUpJob).
            .init(name: "follow-ups", interval: 30) { try await followUpJob.run() },
            .init(name: "maintenance", interval: 86_400) {
                try await store.prune(before: Date().addingTimeInterval(-14 * 86_400))
                try await store.pruneRefusals(before: Date().addingTimeInterval(-30 * 86_400))
            },
        ] + (google?.jobs ?? []), logger: logger, clock: clock)
    }

    /// For callers with fixed channels (the terminal chat, doctor, tests): a store opened from `configuration`.
    convenience init(configuration: Configuration,
                     channels makeChannels: (AsyncHTTPTransport) -> (channels: [any DeliveryChannel], presence: [Platform: any ChatPresence]),
                     consoleIdentity: ChatIdentity?, statusPlatforms: [Platform]) throws {
        let http = AsyncHTTPTransport()
        let (channels, presence) = makeChannels(http)
        self.init(configuration: configuration, store: try Self.openStore(configuration), http: http, channels: channels,
                  presence: presence, consoleIdentity: consoleIdentity, statusPlatforms: statusPlatforms,
                  clock: StewardClock(file: configuration.testClockFile))
    }

    static func openStore(_ configuration: Configuration) throws -> SQLiteStore {
        let secrets = try configuration.secretKey.map { key throws(StorageError) in try SecretBox(keyData: key) }
        switch configuration.database {
        case .sqlite(let path):
            return try SQLiteStore(path: path.path, secrets: secrets)
        case .postgres:
            throw UsageError(message: "STEWARD_DATABASE_URL: PostgreSQL is not supported by this build yet; "
                             + "use sqlite:///path or leave it unset for SQLite in the data directory")
        }
    }

    /// Finishes approvals that were approved when the process died, and queues their outcome.
    func recover() async {
        do {
            let deliveries = try await orchestrator.resumeApproved()
            try await store.enqueue(deliveries, at: Date())
        } catch {
            logger.error("recovering approved requests failed: \(error)")
        }
    }

    public func shutdown() async {
        try? await http.shutdown()
    }
}
