import Foundation
import Logging
import StewardCore

/// Stores inbound events (the `InboundSink` adapters call), then answers them in arrival order.
///
/// An event is stored before its platform is acknowledged, and marked processed in the same transaction
/// that queues its answers; after a crash the unprocessed ones are handled again, and the answers'
/// idempotency keys keep anything from going out twice.
public final class InboundProcessor: InboundSink, Sendable {
    private let inbound: any InboundRepository
    private let orchestrator: Orchestrator
    private let presence: [Platform: any ChatPresence]
    private let wake: Signal
    private let delivered: @Sendable () -> Void
    private let logger: Logger

    init(inbound: any InboundRepository, orchestrator: Orchestrator, presence: [Platform: any ChatPresence],
         delivered: @escaping @Sendable () -> Void, logger: Logger) {
        self.inbound = inbound
        self.orchestrator = orchestrator
        self.presence = presence
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
    public func drain() async {
        while true {
            let batch: [InboundEvent]
            do {
                batch = try await inbound.unprocessed(limit: 100)
            } catch {
                logger.error("reading inbound events failed: \(error)")
                return
            }
            guard !batch.isEmpty else { return }
            for event in batch { await process(event) }
        }
    }

    private func process(_ event: InboundEvent) async {
        // Say "typing…" only when the answer takes noticeably long.
        let typing = presence[event.chat.platform].map { presence in
            Task {
                try await Task.sleep(for: .seconds(1))
                await presence.showTyping(in: event.chat)
            }
        }
        let deliveries = await orchestrator.handle(event)
        typing?.cancel()
        do {
            try await inbound.complete(id: event.id, enqueueing: deliveries, at: Date())
            delivered()
        } catch {
            logger.error("storing the answer failed; it will be retried", metadata: ["event": "\(event.id)",
                                                                                     "error": "\(error)"])
        }
    }

    /// Processes events as they arrive until cancelled.
    public func run() async {
        await drain()
        for await _ in wake.stream {
            await drain()
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
