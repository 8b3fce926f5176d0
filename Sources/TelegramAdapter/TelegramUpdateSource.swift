import Foundation
import Logging
import StewardCore
import StewardHTTP

/// Long polling that keeps working. Guarantees:
/// - **Nothing lost**: for each batch the events are handed to the sink (which stores them) together with
///   the offset past the batch (`telegram.offset` in the state repository), written in the batch's
///   transaction when the sink can (`InboundSink.accept(_:cursor:)`), else right after it. A crash or
///   a failing sink means the same updates are fetched again; the sink drops duplicates by event id.
///   Updates that are not for Steward still move the offset.
/// - **Never dies**: every error is logged and retried after the shared policy's wait
///   (`RetryPolicy.wait(after:failures:)`: capped, jittered backoff; `retry_after` is honoured);
///   a 409 (a webhook is set, or a second poller) is logged as such.
/// - **Never stalls silently**: each request has a deadline of the poll timeout plus a margin, and a
///   watchdog cancels and restarts the loop when no `getUpdates` has finished for more than twice the
///   poll timeout (a hung connection, a hung sink).
/// - `lastSuccessfulPoll` is kept in memory and in `telegram.lastPoll` (ISO 8601) for `/status`.
///
/// Run one instance per bot token: `run()` returns only when its task is cancelled.
public final class TelegramUpdateSource: Sendable {
    public struct Configuration: Sendable {
        /// Long-poll timeout sent to Telegram, whole seconds; 30–50 in production.
        public var pollTimeoutSeconds: Int
        public var limit: Int
        public var allowedUpdates: [String]
        /// Added to the poll timeout to form each request's deadline.
        public var requestTimeoutMargin: Duration
        public var backoff: RetryPolicy
        /// The loop is restarted when no `getUpdates` finished for `watchdogFactor × pollTimeout`.
        public var watchdogFactor: Double

        public init(pollTimeoutSeconds: Int = 30, limit: Int = 100,
                    allowedUpdates: [String] = TelegramUpdateSource.allowedUpdates,
                    requestTimeoutMargin: Duration = .seconds(10),
                    backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(500), maxDelay: .seconds(30)),
                    watchdogFactor: Double = 2) {
            self.pollTimeoutSeconds = max(0, pollTimeoutSeconds)
            self.limit = min(max(limit, 1), 100)
            self.allowedUpdates = allowedUpdates
            self.requestTimeoutMargin = requestTimeoutMargin
            self.backoff = backoff
            self.watchdogFactor = watchdogFactor
        }

        /// How long without a finished `getUpdates` counts as stuck.
        var stallLimit: Duration { .seconds(max(1, Double(pollTimeoutSeconds) * watchdogFactor)) }
    }

    public static let offsetKey = "telegram.offset"
    public static let lastPollKey = "telegram.lastPoll"
    /// What Steward handles; everything else Telegram need not send.
    public static let allowedUpdates = ["message", "callback_query"]

    private let client: any TelegramClient
    private let normalizer: TelegramNormalizer
    private let sink: any InboundSink
    private let state: any StateRepository
    private let configuration: Configuration
    private let logger: Logger
    private let status = PollStatus()

    public init(client: any TelegramClient, normalizer: TelegramNormalizer, sink: any InboundSink,
                state: any StateRepository, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "steward.telegram.poll")) {
        self.client = client
        self.normalizer = normalizer
        self.sink = sink
        self.state = state
        self.configuration = configuration
        self.logger = logger
    }

    /// When a `getUpdates` last succeeded in this process.
    public var lastSuccessfulPoll: Date? { get async { await status.lastSuccess } }
    /// How often the watchdog restarted a stuck loop.
    public var watchdogRestarts: Int { get async { await status.restarts } }

    /// Polls until the calling task is cancelled. Never throws for Telegram or storage errors.
    public func run() async throws {
        logger.info("Telegram long polling started", metadata: ["timeout": "\(configuration.pollTimeoutSeconds)s"])
        while !Task.isCancelled {
            let generation = await status.beginGeneration()
            // Unstructured on purpose: a loop stuck in a call that ignores cancellation must not keep
            // the watchdog from starting a fresh one. The stale loop checks its generation before
            // touching the sink or the offset, so it can do no harm if it ever wakes.
            let loop = TaskPlace.task { await self.pollLoop(generation: generation) }
            let stalled = await watchdog()
            loop.cancel()
            guard stalled else {
                await loop.value
                break
            }
            await status.recordRestart()
            logger.error("Telegram polling stalled: no getUpdates finished in \(configuration.stallLimit); restarting the loop")
        }
        logger.info("Telegram long polling stopped")
    }

    /// True when the loop looks stuck; false when the task was cancelled.
    private func watchdog() async -> Bool {
        let limit = configuration.stallLimit
        let interval = min(max(limit / 8, .milliseconds(50)), .seconds(5))
        while true {
            do { try await Task.sleep(for: interval) } catch { return false }
            if await status.timeSinceProgress() > limit { return true }
        }
    }

    private func pollLoop(generation: Int) async {
        var failures = 0
        var offset: Int64?
        var offsetLoaded = false
        let requestTimeout = Duration.seconds(configuration.pollTimeoutSeconds) + configuration.requestTimeoutMargin
        while !Task.isCancelled {
            do {
                if !offsetLoaded {
                    offset = try await state.value(Self.offsetKey).flatMap { Int64($0) }
                    offsetLoaded = true
                }
                let request = GetUpdatesRequest(offset: offset, limit: configuration.limit,
                                                timeout: configuration.pollTimeoutSeconds,
                                                allowedUpdates: configuration.allowedUpdates)
                let updates = try await client.getUpdates(request, timeout: requestTimeout)
                guard await status.pollSucceeded(generation: generation) else { return }
                failures = 0
                await persistLastPoll()
                guard let last = updates.map(\.updateID).max() else { continue }

                let events = updates.compactMap { normalizer.normalize($0) }
                let cursor = InboundCursor(key: Self.offsetKey, value: String(last + 1))
                // The offset goes into the batch's own transaction where the sink can do that: a crash then
                // leaves both or neither. Updates not for Steward move the offset alone. A stale loop that
                // wakes here can only write the offset past a batch it stored: at worst an older one, and
                // Telegram answers that from its first unconfirmed update (duplicates are dropped by id).
                let written = events.isEmpty ? false : try await sink.accept(events, cursor: cursor)
                guard await status.isCurrent(generation) else { return }
                // Only now, with the events stored, may Telegram forget them.
                if !written { try await state.setValue(cursor.value, for: cursor.key) }
                offset = last + 1
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                let wait = backoff(for: error, failures: failures)
                log(error, failures: failures, wait: wait)
                // Waiting on purpose is not being stuck.
                await status.expectProgress(within: wait)
                do { try await Task.sleep(for: wait) } catch { return }
            }
        }
    }

    /// The shared policy's wait: `retry_after` when Telegram named one, the full ceiling for a refused
    /// token or a conflict (no hurry), else jittered backoff.
    private func backoff(for error: any Error, failures: Int) -> Duration {
        configuration.backoff.wait(after: TelegramError.classify(error), failures: failures)
    }

    private func log(_ error: any Error, failures: Int, wait: Duration) {
        let metadata: Logger.Metadata = ["error": "\(error)", "failures": "\(failures)", "retryIn": "\(wait)"]
        guard let error = error as? TelegramError else {
            logger.warning("Telegram poll failed (storing the batch or reading the offset)", metadata: metadata)
            return
        }
        switch error {
        case .conflict:
            logger.error("Telegram answered 409 Conflict: a webhook is set or another process polls with this token", metadata: metadata)
        case .unauthorized:
            logger.error("Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN", metadata: metadata)
        default:
            logger.warning("Telegram getUpdates failed", metadata: metadata)
        }
    }

    private func persistLastPoll() async {
        guard let date = await status.takeUnpersistedSuccess() else { return }
        do {
            try await state.setValue(date.formatted(.iso8601), for: Self.lastPollKey)
        } catch {
            logger.warning("could not record the last successful poll", metadata: ["error": "\(error)"])
        }
    }
}

/// The loop's health, shared by the loop, the watchdog and `/status`.
private actor PollStatus {
    private let clock = ContinuousClock()
    private(set) var lastSuccess: Date?
    private(set) var restarts = 0
    private var generation = 0
    private var lastProgress: ContinuousClock.Instant = ContinuousClock.now
    private var lastPersisted: ContinuousClock.Instant?

    func beginGeneration() -> Int {
        generation += 1
        lastProgress = clock.now
        return generation
    }

    func isCurrent(_ generation: Int) -> Bool { generation == self.generation }

    /// False when a newer loop has taken over.
    func pollSucceeded(generation: Int) -> Bool {
        guard generation == self.generation else { return false }
        lastSuccess = Date()
        lastProgress = clock.now
        return true
    }

    func expectProgress(within wait: Duration) {
        lastProgress = max(lastProgress, clock.now + wait)
    }

    func timeSinceProgress() -> Duration { clock.now - lastProgress }

    func recordRestart() { restarts += 1 }

    /// The last success if it has not been written in the past second (a busy bot polls many times a second).
    func takeUnpersistedSuccess() -> Date? {
        let now = clock.now
        if let lastPersisted, now - lastPersisted < .seconds(1) { return nil }
        lastPersisted = now
        return lastSuccess
    }
}
