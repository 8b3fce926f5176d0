import Foundation
import Logging
import StewardCore

/// Stores inbound events (the `InboundSink` adapters call), then answers them: each sender's events in
/// arrival order, different senders side by side (a burst from many people is not queued behind one).
///
/// An event is stored before its platform is acknowledged, and marked processed in the same transaction
/// that queues its answers; after a crash the unprocessed ones are handled again, and the answers'
/// idempotency keys keep anything from going out twice.
public final class InboundProcessor: InboundSink, Sendable {
    /// How many senders are served at once; beyond this they wait their turn.
    static let parallelSenders = 16
    /// Events read from the store at a time.
    static let batchSize = 100

    private let inbound: any InboundRepository
    private let completions: GroupCommit<InboundCompletion>
    private let orchestrator: Orchestrator
    private let slowAnswers: SlowAnswers
    /// The model's live "working…" messages; nil without a model.
    private let working: WorkingMessages?
    private let wake: Signal
    private let delivered: @Sendable () -> Void
    private let logger: Logger

    init(inbound: any InboundRepository, orchestrator: Orchestrator, presence: [Platform: any ChatPresence],
         working: WorkingMessages? = nil, delivered: @escaping @Sendable () -> Void, logger: Logger) {
        self.working = working
        self.inbound = inbound
        completions = GroupCommit { try await inbound.complete($0, at: Date()) }
        self.orchestrator = orchestrator
        slowAnswers = SlowAnswers(presence: presence)
        self.delivered = delivered
        self.logger = logger
        wake = Signal()
    }

    public func accept(_ events: [InboundEvent]) async throws {
        let fresh = try await inbound.storeBatch(events).count
        if fresh < events.count { logger.debug("dropped duplicate events", metadata: ["count": "\(events.count - fresh)"]) }
        if fresh > 0 { wake.fire() }
    }

    /// Handles every stored, unprocessed event; returns when none is left.
    @discardableResult
    public func drain() async -> Int {
        var handled = 0
        while true {
            let batch: [InboundEvent]
            do {
                batch = try await inbound.unprocessed(limit: Self.batchSize)
            } catch {
                logger.error("reading inbound events failed: \(error)")
                return handled
            }
            guard !batch.isEmpty else { return handled }
            let completed = await withTaskGroup(of: Int.self) { group in
                var running = 0
                var completed = 0
                for lane in Self.lanesBySender(batch) {
                    if running >= Self.parallelSenders, let done = await group.next() {
                        completed += done
                        running -= 1
                    }
                    group.addTask {
                        var done = 0
                        for event in lane where await self.process(event) { done += 1 }
                        return done
                    }
                    running += 1
                }
                for await done in group { completed += done }
                return completed
            }
            handled += completed
            // Nothing could be stored (a full disk?): stop here instead of spinning; the next event retries.
            if completed == 0 { return handled }
            // A short batch was everything stored when it was read; whatever came since fired `wake`, which
            // brings another pass. Not reading again saves a database round trip per message at low rates.
            if batch.count < Self.batchSize { return handled }
        }
    }

    /// The batch split per sender, each lane in arrival order, lanes ordered by their first event.
    static func lanesBySender(_ batch: [InboundEvent]) -> [[InboundEvent]] {
        var order: [ChatIdentity] = []
        var lanes: [ChatIdentity: [InboundEvent]] = [:]
        for event in batch {
            if lanes[event.sender] == nil { order.append(event.sender) }
            lanes[event.sender, default: []].append(event)
        }
        return order.compactMap { lanes[$0] }
    }

    /// Answers one event; false when its answer could not be stored (it stays unprocessed).
    private func process(_ event: InboundEvent) async -> Bool {
        // The chat shows "typing…" only when the answer takes noticeably long (see `run`).
        let answer = slowAnswers.begin(in: event.chat)
        var deliveries = await orchestrator.handle(event)
        slowAnswers.end(answer)
        if let working { deliveries = await working.finish(event, deliveries) }
        do {
            try await completions.submit(InboundCompletion(eventID: event.id, deliveries: deliveries))
            delivered()
            return true
        } catch {
            logger.error("storing the answer failed; it will be retried", metadata: ["event": "\(event.id)",
                                                                                     "error": "\(error)"])
            return false
        }
    }

    /// Processes events as they arrive until cancelled, showing "typing…" where an answer is slow.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.slowAnswers.watch() }
            await drain()
            for await _ in wake.stream { await drain() }
            group.cancelAll()
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
