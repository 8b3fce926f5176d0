import Foundation
import Logging
import StewardCore

/// Sends stored deliveries through each platform's channel: in order within a chat, chats in parallel,
/// each item at most once per successful attempt, retried after a 429's wait or with jittered backoff.
public actor OutboxDispatcher {
    private let outbox: any OutboxRepository
    private let users: any UserRepository
    private let channels: [Platform: any DeliveryChannel]
    private let logger: Logger
    private let signal = Signal()
    /// Chats with a send in progress; their items are left alone until it ends, so nothing is sent twice.
    private var busyChats: Set<String> = []
    /// Chats whose send ended since the last pump began. They count as busy until the next pump: a read
    /// that began before their outcome was stored may still list the item just sent as pending.
    private var finishedChats: Set<String> = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Set when shutdown begins: sends under way finish (and are recorded); nothing new starts.
    private var stopping = false
    private var maximumAttempts = 25
    /// Pending rows read at a time, per platform.
    static let pageSize = 500
    /// Chats with a send under way at once, per platform. The HTTP client keeps a few connections per host;
    /// more sends than that only queue inside it, each holding its request, its task and its buffers: a
    /// 5,000-message burst once held about 50 MB there (Benchmarks/README.md, "What the profile found").
    static let concurrentSends = 256
    /// Chats with a send under way, per platform.
    private var sending: [Platform: Int] = [:]
    /// A finished send found more to do while most slots were taken; a later one pumps.
    private var pumpDeferred = false
    /// The last pump left chats unstarted because every slot was taken (`flush` pumps again).
    private var capReached = false
    /// Chats the last pump started a send for.
    private var startedInLastPump = 0
    /// Messages sent since the heap was last handed back (see `send`).
    private var sentSinceTrim = 0
    /// Sends that finish together are recorded in one transaction.
    private let sentRecords: InlineGroupCommit<SentDelivery>

    public init(outbox: any OutboxRepository, users: any UserRepository, channels: [Platform: any DeliveryChannel],
         logger: Logger) {
        self.outbox = outbox
        sentRecords = InlineGroupCommit { try await outbox.markSent($0) }
        self.users = users
        self.channels = channels
        self.logger = logger
    }

    /// Counts `wake()` calls, so a finished send can tell whether anything was queued since the last read.
    private nonisolated let wakes = Locked(0)
    /// `wakes` when the last pump began, and whether that pump left rows unread (a full page).
    private var wakesAtLastPump = 0
    private var lastPumpWasFull = false
    /// Chats that were busy while a pump read the outbox: that read left their newer messages out.
    private var passedOver: Set<String> = []

    public nonisolated func wake() {
        wakes.withLock { $0 += 1 }
        signal.fire()
    }

    /// Runs until cancelled, waking on `wake()` and at least every second for retries that became due.
    /// Cancelled (a graceful shutdown), it returns only after the sends under way have finished and been
    /// recorded: a send cut off after the platform took it but before it was recorded would go out again
    /// after the restart.
    public func run() async {
        let ticker = Task { [signal] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                signal.fire()
            }
        }
        defer { ticker.cancel() }
        await pump()
        for await _ in signal.stream {
            if Task.isCancelled { break }
            await pump()
        }
        stopping = true
        busyChats.subtract(finishedChats)
        finishedChats.removeAll()
        while !busyChats.isEmpty, busyChats.count > finishedChats.count {
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Sends everything due now for every platform and returns when it is done (the console uses this
    /// to print answers before reading the next line).
    public func flush() async {
        // Again while a pump left rows for later (every slot taken, or a full page), as long as it started
        // something: rows that all wait for a retry end the loop instead of spinning it.
        repeat {
            await pump()
            while busyChats.count > finishedChats.count {
                await withCheckedContinuation { waiters.append($0) }
            }
        } while (capReached || lastPumpWasFull) && startedInLastPump > 0 && !stopping
    }

    private func pump() async {
        guard !stopping else { return }
        busyChats.subtract(finishedChats)
        finishedChats.removeAll()
        wakesAtLastPump = wakes.withLock { $0 }
        lastPumpWasFull = false
        pumpDeferred = false
        capReached = false
        startedInLastPump = 0
        passedOver.formUnion(busyChats)
        for (platform, channel) in channels {
            // Most slots taken: a read now would start few sends, and under a burst every new answer wakes
            // the pump. A finishing send pumps once half the slots are free.
            guard sending[platform, default: 0] <= Self.concurrentSends / 2 else {
                pumpDeferred = true
                capReached = true
                continue
            }
            let due: [OutboxItem]
            do {
                // Busy chats are left out in SQL: under load most pending rows belong to them.
                due = try await outbox.pending(platform: platform, limit: Self.pageSize, excludingQueues: busyChats)
                if due.count == Self.pageSize { lastPumpWasFull = true }
            } catch {
                logger.error("reading the outbox failed: \(error)")
                continue
            }
            var order: [String] = []
            var groups: [String: [OutboxItem]] = [:]
            for item in due {
                let chat = item.delivery.queue(key: item.key)
                if groups[chat] == nil { order.append(chat) }
                groups[chat, default: []].append(item)
            }
            // A chat whose oldest message waits for a retry waits as a whole: later messages never overtake it.
            let now = Date()
            for chat in order where !busyChats.contains(chat) {
                guard let items = groups[chat], items[0].notBefore <= now else { continue }
                // At the cap, the rest waits for sends to finish (they pump again: see `send`).
                guard sending[platform, default: 0] < Self.concurrentSends else {
                    lastPumpWasFull = true
                    capReached = true
                    break
                }
                sending[platform, default: 0] += 1
                startedInLastPump += 1
                busyChats.insert(chat)
                Task { await self.send(items, chat: chat, platform: platform, channel: channel) }
            }
        }
    }

    private func send(_ items: [OutboxItem], chat: String, platform: Platform, channel: any DeliveryChannel) async {
        for item in items {
            if stopping { break }
            if await !attempt(item, channel: channel) { break }
        }
        sending[platform, default: 1] -= 1
        finishedChats.insert(chat)
        if busyChats.count == finishedChats.count {
            // The outbox is idle: after a burst, hand the memory it used back to the system, or the heap
            // keeps its high-water mark for the life of the process.
            if sentSinceTrim >= 1_000 {
                sentSinceTrim = 0
                FreeMemory.release()
            }
            let ready = waiters
            waiters = []
            ready.forEach { $0.resume() }
        }
        // Look again only when something may be waiting: messages queued since the last read, this chat's
        // messages a read passed over while it was busy, or rows the last read left for later. Otherwise
        // the next wake or the one-second tick comes soon enough; at low rates this saves a read a message.
        // Under a backlog, not after every send: a read (up to a page of rows) starts sends only while half
        // the slots are free, so it is spent on many chats at once.
        let passedOverThisChat = passedOver.remove(chat) != nil
        let due = pumpDeferred || passedOverThisChat || lastPumpWasFull || wakes.withLock({ $0 }) != wakesAtLastPump
        guard due else { return }
        guard sending[platform, default: 0] <= Self.concurrentSends / 2 else {
            pumpDeferred = true
            return
        }
        signal.fire()
    }

    /// One delivery attempt; false when the rest of this chat's queue must wait (order is kept per chat).
    private func attempt(_ item: OutboxItem, channel: any DeliveryChannel) async -> Bool {
        do {
            // Whatever queued it (an answer, an expiry, a recovery), an edit reaches a platform that can't edit
            // as a new message.
            let delivery = channel.capabilities.carrying(item.delivery)
            let messageID = try await channel.deliver(delivery, key: item.key, resumingAfter: item.chunksSent)
            try await sentRecords.submit(SentDelivery(id: item.id, platformMessageID: messageID))
            sentSinceTrim += 1
            return true
        } catch let partial as PartialDelivery {
            do {
                try await outbox.recordChunksSent(id: item.id, chunksSent: partial.sent)
            } catch {
                logger.error("recording a long message's progress failed: \(error)")
            }
            return await handle(partial.failure, for: item)
        } catch let failure as DeliveryFailure {
            return await handle(failure, for: item)
        } catch {
            return await handle(.transient("\(error)"), for: item)
        }
    }

    private func handle(_ failure: DeliveryFailure, for item: OutboxItem) async -> Bool {
        let now = Date()
        do {
            switch failure {
            case .retryAfter(let seconds):
                try await outbox.markFailed(id: item.id, error: "rate limited", retryAt: now.addingTimeInterval(seconds))
                return false
            case .transient(let reason):
                guard item.attempts + 1 < maximumAttempts else {
                    logger.error("giving up on a delivery", metadata: ["key": "\(item.key)", "error": "\(reason)"])
                    try await outbox.markFailed(id: item.id, error: reason, retryAt: nil)
                    return true
                }
                let backoff = min(300, pow(2, Double(item.attempts))) * Double.random(in: 0.5...1)
                try await outbox.markFailed(id: item.id, error: reason, retryAt: now.addingTimeInterval(backoff))
                return false
            case .chatUnavailable(let reason):
                logger.warning("chat unavailable; pushes to it stop", metadata: ["reason": "\(reason)"])
                try await outbox.markFailed(id: item.id, error: reason, retryAt: nil)
                if let chat = item.delivery.chat { try await users.deactivateHomeChat(chat) }
                return true
            case .chatMigrated(let newChatID):
                try await outbox.markFailed(id: item.id, error: "chat migrated to \(newChatID)", retryAt: nil)
                if case .send(var chat, let message) = item.delivery {
                    chat.chatID = newChatID
                    try await outbox.enqueue([(key: item.key + ":migrated", delivery: .send(chat: chat, message: message))],
                                             at: now)
                }
                return true
            case .rejected(let reason):
                logger.error("platform rejected a delivery", metadata: ["key": "\(item.key)", "error": "\(reason)"])
                try await outbox.markFailed(id: item.id, error: reason, retryAt: nil)
                return true
            }
        } catch {
            logger.error("recording a delivery failure failed: \(error)")
            return false
        }
    }
}
