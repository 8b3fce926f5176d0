import Foundation
import Logging
import StewardCore
import StewardHTTP

/// Stores a sync batch's events and its `next_batch` in one transaction; returns once both are durable.
public protocol MatrixBatchSink: Sendable {
    func accept(_ events: [InboundEvent], position key: String, value: String) async throws
}

/// The `/sync` loop. Guarantees:
/// - **Nothing lost, nothing twice**: a batch's events and its `next_batch` are stored together before
///   anything is answered; a crash before that fetches the same batch again, and events are deduplicated by
///   `event_id`. A `limited` timeline (a gap) is paged back with `/messages`, up to `backfillPages` pages.
/// - **No answers to history**: the first start (no stored position) only takes the position, the invites
///   and the direct-chat list; old messages stay unanswered.
/// - **Only people Steward serves get it into rooms**: invites from owners and allowed users are accepted;
///   others are left, once, with nothing said. An invite marked `is_direct` makes the room that person's
///   direct chat, recorded in the bot's `m.direct`.
/// - **Encrypted rooms, honestly**: an event Steward can't decrypt is counted, and the room is told once, in
///   plain text, that Steward can't read it and how to fix that.
/// - **Never stalls silently**: each request has a deadline; a watchdog restarts a loop that has not
///   finished a sync for twice the poll timeout; the last successful sync is kept for `/status`.
public final class MatrixSyncSource: Sendable {
    public struct Configuration: Sendable {
        public var timeoutSeconds: Int
        public var requestTimeoutMargin: Duration
        public var backoff: RetryPolicy
        public var watchdogFactor: Double
        public var backfillPages: Int
        public var backfillPageSize: Int

        public init(timeoutSeconds: Int = 30, requestTimeoutMargin: Duration = .seconds(10),
                    backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(500), maxDelay: .seconds(30)),
                    watchdogFactor: Double = 2, backfillPages: Int = 3, backfillPageSize: Int = 50) {
            self.timeoutSeconds = max(0, timeoutSeconds)
            self.requestTimeoutMargin = requestTimeoutMargin
            self.backoff = backoff
            self.watchdogFactor = watchdogFactor
            self.backfillPages = backfillPages
            self.backfillPageSize = backfillPageSize
        }

        var stallLimit: Duration { .seconds(max(1, Double(timeoutSeconds) * watchdogFactor)) + requestTimeoutMargin }
    }

    public static let sinceKey = "matrix.since"
    public static let lastSyncKey = "matrix.lastSync"
    public static let filterKey = "matrix.filter"
    public static let directRoomsKey = "matrix.directRooms"
    public static let undecryptableKey = "matrix.undecryptable"
    public static func encryptedNoticeKey(_ room: String) -> String { "matrix.encryptedNotice.\(room)" }

    public static let encryptedNotice = "I can't read encrypted messages, so I didn't see what was just sent here. "
        + "To talk to me with encryption on, run me behind Pantalaimon (the README's \"On Matrix\" section shows how); "
        + "or talk to me in a room without encryption."

    /// Only what Steward handles: text, reactions, encrypted events (to say it can't read them), membership.
    /// Not Steward's own events: the loop skips them anyway, and with them every answer Steward sent would
    /// wake its long poll for a sync (a request, a decode, a stored position) that carries nothing.
    static func filter(botID: String) -> String {
        let sender = String(decoding: (try? JSONEncoder().encode([botID])) ?? Data("[]".utf8), as: UTF8.self)
        return """
        {"presence":{"types":[]},"account_data":{"types":["m.direct"]},\
        "room":{"timeline":{"types":["m.room.message","m.reaction","m.room.encrypted"],"not_senders":\(sender),"limit":50},\
        "state":{"types":["m.room.member","m.room.encryption"],"lazy_load_members":true},\
        "ephemeral":{"types":[]},"account_data":{"types":[]}}}
        """
    }

    let client: any MatrixClient
    let identity: MatrixIdentity
    let sink: any MatrixBatchSink
    let state: any StateRepository
    let isAllowed: @Sendable (String) async -> Bool
    let configuration: Configuration
    let logger: Logger
    private let status = SyncStatus()
    /// The stored direct-chat map as last read or written: only this source writes it, so it is read from
    /// the store once, not on every sync.
    let directCache = Locked<[String: String]?>(nil)

    func statusIsCurrent(_ generation: Int) -> Bool { status.isCurrent(generation) }

    /// - Parameter isAllowed: whether a Matrix user id (`@user:server`) is let in (configured, allowed since, or linked).
    public init(client: any MatrixClient, identity: MatrixIdentity, sink: any MatrixBatchSink, state: any StateRepository,
                isAllowed: @escaping @Sendable (String) async -> Bool, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "steward.matrix.sync")) {
        self.client = client
        self.identity = identity
        self.sink = sink
        self.state = state
        self.isAllowed = isAllowed
        self.configuration = configuration
        self.logger = logger
    }

    public var lastSuccessfulSync: Date? { get async { status.lastSuccess } }
    public var watchdogRestarts: Int { get async { status.restarts } }

    /// Syncs until the calling task is cancelled. Never throws for Matrix or storage errors.
    public func run() async throws {
        logger.info("Matrix sync started", metadata: ["timeout": "\(configuration.timeoutSeconds)s"])
        while !Task.isCancelled {
            let generation = status.beginGeneration()
            // Unstructured on purpose: a loop stuck in a call that ignores cancellation must not keep the
            // watchdog from starting a fresh one; the stale loop checks its generation before storing anything.
            let loop = TaskPlace.task { await self.syncLoop(generation: generation) }
            let stalled = await watchdog()
            loop.cancel()
            guard stalled else {
                await loop.value
                break
            }
            status.recordRestart()
            logger.error("Matrix sync stalled: no sync finished in \(configuration.stallLimit); restarting the loop")
        }
        logger.info("Matrix sync stopped")
    }

    private func watchdog() async -> Bool {
        let limit = configuration.stallLimit
        let interval = min(max(limit / 8, .milliseconds(50)), .seconds(5))
        while true {
            do { try await Task.sleep(for: interval) } catch { return false }
            if status.timeSinceProgress() > limit { return true }
        }
    }

    private func syncLoop(generation: Int) async {
        var failures = 0
        var since: String?
        var filterID: String?
        var loaded = false
        let requestTimeout = Duration.seconds(configuration.timeoutSeconds) + configuration.requestTimeoutMargin
        while !Task.isCancelled {
            do {
                guard let botID = identity.userID else { throw MatrixError(status: 0, errcode: "NO_IDENTITY", message: "whoami has not answered") }
                if !loaded {
                    since = try await state.value(Self.sinceKey)
                    filterID = try await storedFilter(botID: botID)
                    loaded = true
                }
                let response = try await client.sync(since: since, filter: filterID,
                                                     timeoutMilliseconds: since == nil ? 0 : configuration.timeoutSeconds * 1000,
                                                     requestTimeout: requestTimeout)
                guard status.syncSucceeded(generation: generation) else { return }
                failures = 0
                try await handle(response, botID: botID, initial: since == nil, generation: generation)
                guard status.isCurrent(generation) else { return }
                since = response.nextBatch
                await persistLastSync()
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                // The pipeline's wait for a loop that never gives up: the server's `retry_after_ms`, the
                // full ceiling for a refused token or room (no hurry), else full-jitter backoff.
                let wait = configuration.backoff.wait(after: MatrixError.classify(error), failures: failures)
                logger.warning("Matrix sync failed", metadata: ["error": "\(error)", "failures": "\(failures)", "retryIn": "\(wait)"])
                status.expectProgress(within: wait)
                do { try await Task.sleep(for: wait) } catch { return }
            }
        }
    }

    /// The filter's id on the homeserver, uploaded once per user and filter text (v2: without Steward's own
    /// events; a v1 id stored before is replaced).
    private func storedFilter(botID: String) async throws -> String {
        let tag = "\(botID)|v2|"
        if let stored = try await state.value(Self.filterKey), stored.hasPrefix(tag) {
            return String(stored.dropFirst(tag.count))
        }
        let id = try await client.createFilter(userID: botID, filter: Data(Self.filter(botID: botID).utf8))
        try await state.setValue(tag + id, for: Self.filterKey)
        return id
    }

    private func persistLastSync() async {
        guard let date = status.takeUnpersistedSuccess() else { return }
        do { try await state.setValue(date.formatted(.iso8601), for: Self.lastSyncKey) } catch {
            logger.warning("could not record the last successful sync", metadata: ["error": "\(error)"])
        }
    }
}

/// The loop's health, shared by the loop, the watchdog and `/status`. A lock, not an actor: the loop
/// asks it four times per sync, and each await on an actor was a hop off the loop's executor and back.
final class SyncStatus: Sendable {
    private struct State {
        var lastSuccess: Date?
        var restarts = 0
        var generation = 0
        var lastProgress = ContinuousClock.now
        var lastPersisted: ContinuousClock.Instant?
    }

    private let state = Locked(State())

    var lastSuccess: Date? { state.withLock { $0.lastSuccess } }
    var restarts: Int { state.withLock { $0.restarts } }

    func beginGeneration() -> Int {
        state.withLock { state in
            state.generation += 1
            state.lastProgress = .now
            return state.generation
        }
    }

    func isCurrent(_ generation: Int) -> Bool { state.withLock { $0.generation == generation } }

    func syncSucceeded(generation: Int) -> Bool {
        state.withLock { state in
            guard generation == state.generation else { return false }
            state.lastSuccess = Date()
            state.lastProgress = .now
            return true
        }
    }

    func expectProgress(within wait: Duration) {
        state.withLock { $0.lastProgress = max($0.lastProgress, .now + wait) }
    }

    func timeSinceProgress() -> Duration { state.withLock { .now - $0.lastProgress } }
    func recordRestart() { state.withLock { $0.restarts += 1 } }

    func takeUnpersistedSuccess() -> Date? {
        state.withLock { state in
            let now = ContinuousClock.now
            if let lastPersisted = state.lastPersisted, now - lastPersisted < .seconds(1) { return nil }
            state.lastPersisted = now
            return state.lastSuccess
        }
    }
}
