import Foundation
import Logging
import Metrics
import StewardCore

/// Stores inbound events (the `InboundSink` adapters call), then answers them: each sender's events in
/// arrival order, and no sender ever waits for another.
///
/// Every sender has a lane of their own that starts the moment their first event is read and ends when
/// their backlog is empty, so one person's slow model run holds up only their own later messages; people
/// the bot doesn't know share one lane, so a flood of strangers can't crowd out the people it serves.
///
/// An event is stored before its platform is acknowledged, and marked processed in the same transaction
/// that queues its answers; after a crash the unprocessed ones are handled again, and the answers'
/// idempotency keys keep anything from going out twice.
public final class InboundProcessor: InboundSink, Sendable {
    /// Known senders served at once; beyond this a sender's lane starts when another one ends. Lanes
    /// mostly wait (on the model, on a provider), so this is about memory, not cores.
    static let parallelSenders = 64
    /// Events read from the store at a time.
    static let batchSize = 100

    private let inbound: any InboundRepository
    private let completions: InlineGroupCommit<InboundCompletion>
    private let orchestrator: Orchestrator
    private let slowAnswers: SlowAnswers
    /// The model's live "working…" messages; nil without a model.
    private let working: WorkingMessages?
    private let wake: Signal
    private let delivered: @Sendable () -> Void
    private let logger: Logger
    private let lanes = Locked(Lanes())
    private let counters = Locked<[Platform: Counter]>([:])
    private let answerTimer = Metrics.Timer(label: "steward_answer_duration_seconds", preferredDisplayUnit: .seconds)

    public init(inbound: any InboundRepository, orchestrator: Orchestrator, presence: [Platform: any ChatPresence],
         working: WorkingMessages? = nil, delivered: @escaping @Sendable () -> Void, logger: Logger) {
        self.working = working
        self.inbound = inbound
        completions = InlineGroupCommit { try await inbound.complete($0, at: Date()) }
        self.orchestrator = orchestrator
        slowAnswers = SlowAnswers(presence: presence)
        self.delivered = delivered
        self.logger = logger
        wake = Signal()
    }

    public func accept(_ events: [InboundEvent]) async throws {
        _ = try await store(events, cursor: nil)
    }

    /// Stores the batch and the platform's position after it in one transaction (when the store can).
    public func accept(_ events: [InboundEvent], cursor: InboundCursor) async throws -> Bool {
        try await store(events, cursor: cursor)
    }

    /// Events this store call added are handed to their lanes right here when nothing can be missing
    /// before them (`Lanes.handOff`); otherwise the reader picks them up from the store.
    private func store(_ events: [InboundEvent], cursor: InboundCursor?) async throws -> Bool {
        if let located = try await inbound.storeBatch(events, cursor: cursor) {
            count(located.lazy.map(\.event), of: events.count)
            if !located.isEmpty {
                let starts = lanes.withLock { lanes in
                    lanes.handOff(located, lane: { self.lane(of: $0) }, parallel: Self.parallelSenders)
                }
                if let starts { starts.forEach(startLane) } else { wake.fire() }
            }
            return cursor != nil
        }
        let stored = try await inbound.storeBatch(events)
        count(stored, of: events.count)
        if !stored.isEmpty { wake.fire() }
        return false
    }

    private func count(_ fresh: some Collection<InboundEvent>, of received: Int) {
        for event in fresh { eventsCounter(event.chat.platform).increment() }
        if fresh.count < received { logger.debug("dropped duplicate events", metadata: ["count": "\(received - fresh.count)"]) }
    }

    /// One counter per platform, made once: creating one per event cost a registry lookup under a lock.
    private func eventsCounter(_ platform: Platform) -> Counter {
        counters.withLock { counters in
            if let counter = counters[platform] { return counter }
            let counter = Counter(label: "steward_inbound_events_total", dimensions: [("platform", platform.rawValue)])
            counters[platform] = counter
            return counter
        }
    }

    /// Handles every stored, unprocessed event; returns when none is left (or none could be stored).
    @discardableResult
    public func drain() async -> Int {
        let before = lanes.withLock { $0.handled }
        await dispatch()
        await withCheckedContinuation { continuation in
            let idle = lanes.withLock { lanes in
                if lanes.isIdle { return true }
                lanes.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
        return lanes.withLock { $0.handled } - before
    }

    /// Processes events as they arrive until cancelled, showing "typing…" where an answer is slow.
    /// Cancelled (a graceful shutdown), it stops the answers under way — they were never stored, so the
    /// restart handles those events again — and returns once every lane has stopped.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.slowAnswers.watch() }
            // An answer that could not be stored is tried again a second later (and at the next message).
            group.addTask { [wake] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if self.lanes.withLock({ $0.failedSince }) { wake.fire() }
                }
            }
            await dispatch()
            for await _ in wake.stream {
                if Task.isCancelled { break }
                await dispatch()
            }
            group.cancelAll()
        }
        let running = lanes.withLock { lanes in
            lanes.stopping = true
            return Array(lanes.tasks.values)
        }
        running.forEach { $0.cancel() }
        for task in running { await task.value }
    }

    /// Reads what was stored since the last read and hands each event to its sender's lane. One read runs
    /// at a time; a request while one runs makes it read once more.
    private func dispatch() async {
        let first = lanes.withLock { lanes in
            if lanes.reading { lanes.readAgain = true }
            defer { lanes.reading = true }
            return !lanes.reading
        }
        guard first else { return }
        repeat {
            lanes.withLock { $0.readAgain = false }
            await readStored()
        } while lanes.withLock { lanes in
            if lanes.readAgain { return true }
            lanes.reading = false
            return false
        }
    }

    private func readStored() async {
        while true {
            let (cursor, stopping) = lanes.withLock { lanes in
                lanes.failedSince = false
                return (lanes.cursor, lanes.stopping)
            }
            guard !stopping else { return }
            let batch: [StoredInboundEvent]
            do {
                batch = try await inbound.unprocessed(after: cursor, limit: Self.batchSize)
            } catch {
                logger.error("reading inbound events failed: \(error)")
                lanes.withLock { $0.handedUpTo = nil }
                return
            }
            let starts = lanes.withLock { lanes in
                let starts = lanes.take(batch, lane: { self.lane(of: $0) }, parallel: Self.parallelSenders)
                // A short batch was everything stored when it was read, and whatever is stored later gets
                // a higher position: from here on, events may be handed over as they are stored. Not after
                // a failed answer: its lane's events are below the cursor again and wait for a read.
                if batch.count < Self.batchSize {
                    let highest = max(cursor, batch.last?.position ?? 0)
                    lanes.handedUpTo = lanes.failedSince || highest == 0 ? nil : highest
                }
                return starts
            }
            starts.forEach(startLane)
            // Whatever came since fired `wake` (or was handed over).
            if batch.count < Self.batchSize { return }
        }
    }

    /// Strangers share one lane: they get one refusal each, and nothing they send may cost the people
    /// Steward serves a lane of their own.
    private func lane(of event: InboundEvent) -> Lanes.Key {
        orchestrator.access.role(of: event.sender) == nil ? .strangers : .sender(event.sender)
    }

    private func startLane(_ key: Lanes.Key) {
        let task = TaskPlace.task { await self.serve(key) }
        lanes.withLock { lanes in
            // The lane may already have finished; only a running lane keeps its handle.
            if lanes.running.contains(key) { lanes.tasks[key] = task }
        }
    }

    /// Answers one lane's events in order until its backlog is empty.
    private func serve(_ key: Lanes.Key) async {
        while let next = lanes.withLock({ $0.next(in: key) }) {
            let stored = await process(next.event)
            let (starts, waiters) = lanes.withLock { lanes in
                lanes.finish(next, stored: stored, lane: key, parallel: Self.parallelSenders)
            }
            starts.forEach(startLane)
            waiters.forEach { $0.resume() }
            if !stored { break }
            // Strangers' events are answered in storage alone (most get no reply at all), so their lane never
            // waits on anything: without a turn for the others, a flood of them kept the reader from reaching
            // the owner's message behind it on a busy machine.
            if key == .strangers { await Task.yield() }
        }
        lanes.withLock { $0.promote(parallel: Self.parallelSenders) }.forEach(startLane)
    }

    /// Answers one event; false when its answer was not stored (it stays unprocessed and is read again).
    private func process(_ event: InboundEvent) async -> Bool {
        // The chat shows "typing…" only when the answer takes noticeably long (see `run`).
        let answer = slowAnswers.begin(in: event.chat)
        var deliveries = await orchestrator.handle(event)
        slowAnswers.end(answer)
        // Stopped mid-answer by a shutdown: what it produced may be partial, so it is not stored; the
        // restart answers the event again.
        if Task.isCancelled { return false }
        if let working { deliveries = await working.finish(event, deliveries) }
        do {
            try await completions.submit(InboundCompletion(eventID: event.id, deliveries: deliveries))
            delivered()
            // From the moment the event was received (and stored) to its answers being stored in the outbox.
            answerTimer.recordSeconds(max(0, Date().timeIntervalSince(event.receivedAt)))
            return true
        } catch {
            logger.error("storing the answer failed; it will be retried", metadata: ["event": "\(event.id)",
                                                                                     "error": "\(error)"])
            return false
        }
    }
}

/// A wake-up signal that coalesces: many `fire()`s while the consumer is busy cause one more pass.
final class Signal: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func fire() { continuation.yield() }
    func finish() { continuation.finish() }
}
