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
    /// Rows the store reported queued since the last pump (see `startOffered`).
    private nonisolated let offered = Locked<[OutboxItem]>([])
    /// Reported rows kept for the next pump at most; past this (a dispatcher not running) they are dropped
    /// and the next pump reads: every reported row is stored, so a read finds it.
    static let offersKept = 4_096
    /// Every row with a higher id is known only from the store's reports, and was reported at most once: a read's snapshot
    /// listed (or left out as busy or not pending) everything up to it, and offers take it further one
    /// consecutive id at a time. Nil until the first read.
    private var knownUpTo: Int64?
    /// A finished send asked for a read (messages it passed over, a deferred pump, a full page).
    private var readWanted = false
    /// A pump's read is under way: the actor may run another pump meanwhile, and that one must not assume
    /// anything about the rows this read will list.
    private var reading = false
    /// Chats whose oldest pending message waits (a retry's time, a failed send): nothing offered may overtake it.
    private var waitingChats: Set<String> = []

    /// How often the dispatcher reads the outbox for retries that fell due (tests lengthen it to see what
    /// happens without that read).
    private let tick: Duration

    public init(outbox: any OutboxRepository, users: any UserRepository, channels: [Platform: any DeliveryChannel],
         logger: Logger, tick: Duration = .seconds(1)) {
        self.tick = tick
        self.outbox = outbox
        sentRecords = InlineGroupCommit { try await outbox.markSent($0) }
        self.users = users
        self.channels = channels
        self.logger = logger
        let offered = offered, signal = signal, wakes = wakes
        seesQueuedRows = outbox.observeQueued { items in
            let kept = offered.withLock { offered in
                offered.append(contentsOf: items)
                guard offered.count > Self.offersKept else { return true }
                offered = []
                return false
            }
            if !kept { wakes.withLock { $0 += 1 } }
            signal.fire()
        }
    }

    /// True when the store tells the dispatcher of every row it queues (then queuing needs no `wake()`,
    /// and a wake would only make the next pump read what it was already told).
    public nonisolated let seesQueuedRows: Bool

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

    /// Runs until cancelled, waking on `wake()` and at least every `tick` for retries that became due.
    /// Cancelled (a graceful shutdown), it returns only after the sends under way have finished and been
    /// recorded: a send cut off after the platform took it but before it was recorded would go out again
    /// after the restart.
    public func run() async {
        // A wake, not a bare signal: the tick's pump reads, so retries fall due even while offers keep coming.
        let ticker = TaskPlace.task { [wakes, signal, tick] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                wakes.withLock { $0 += 1 }
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
            // Everything due, retries included: this pump reads.
            readWanted = true
            await pump()
            while busyChats.count > finishedChats.count {
                await withCheckedContinuation { waiters.append($0) }
            }
        } while (capReached || lastPumpWasFull) && startedInLastPump > 0 && !stopping
    }

    private func pump() async {
        guard !stopping else { return }
        let offers = offered.withLock { offered in
            defer { offered = [] }
            return offered
        }
        if offers.isEmpty {
            // Two reports close together are often taken by one pump; the second's signal then finds nothing
            // to do, and reads only when something else asked for a read.
            guard readNeeded else { return }
        } else if startOffered(offers) {
            return
        }
        readWanted = false
        busyChats.subtract(finishedChats)
        finishedChats.removeAll()
        wakesAtLastPump = wakes.withLock { $0 }
        lastPumpWasFull = false
        pumpDeferred = false
        capReached = false
        startedInLastPump = 0
        passedOver.formUnion(busyChats)
        // Still waiting: those left out of this read as busy, and those the read finds waiting.
        waitingChats.formIntersection(busyChats)
        // What every platform's read covered: the lowest of their snapshots (ids grow in commit order).
        var known: Int64? = .max
        for (platform, channel) in channels {
            // Most slots taken: a read now would start few sends, and under a burst every new answer wakes
            // the pump. A finishing send pumps once half the slots are free.
            guard sending[platform, default: 0] <= Self.concurrentSends / 2 else {
                pumpDeferred = true
                capReached = true
                known = nil
                continue
            }
            let due: [OutboxItem]
            do {
                // Busy chats are left out in SQL: under load most pending rows belong to them.
                reading = true
                defer { reading = false }
                let page = try await outbox.pendingPage(platform: platform, limit: Self.pageSize, excludingQueues: busyChats)
                due = page.items
                let full = due.count == Self.pageSize
                if full { lastPumpWasFull = true }
                // A full page listed rows only up to its last one.
                let covered = full ? due.last?.id : page.highestID
                known = known.flatMap { known in covered.map { min(known, $0) } }
            } catch {
                logger.error("reading the outbox failed: \(error)")
                known = nil
                continue
            }
            // A chat whose oldest message waits for a retry waits as a whole: later messages never overtake it.
            let now = Date()
            for (chat, items) in Self.byChat(due) where !busyChats.contains(chat) {
                guard items[0].notBefore <= now else {
                    waitingChats.insert(chat)
                    continue
                }
                // At the cap, the rest waits for sends to finish (they pump again: see `send`).
                guard sending[platform, default: 0] < Self.concurrentSends else {
                    lastPumpWasFull = true
                    capReached = true
                    break
                }
                startSending(items, chat: chat, platform: platform, channel: channel)
            }
        }
        knownUpTo = known == .max ? nil : known
    }

    /// Whether the outbox must be read: never read yet, a wake or a tick since the last read, a finished send
    /// that passed over rows, or rows the last read left for later.
    private var readNeeded: Bool {
        knownUpTo == nil || readWanted || lastPumpWasFull || capReached || pumpDeferred
            || wakes.withLock({ $0 }) != wakesAtLastPump
    }

    /// Starts the rows the store just reported queued without reading them back, when it can prove the read
    /// would list exactly them: no read under way, nothing else woke the dispatcher (another path's rows, a
    /// retry falling due), no chat passed over or deferred since the last read, and the rows carry on from
    /// `knownUpTo` without a gap. Rows at or below `knownUpTo` were already read. An offered row goes
    /// only to a chat that is idle and has nothing older waiting, so per-chat order holds. False: read.
    private func startOffered(_ offers: [OutboxItem]) -> Bool {
        guard let known = knownUpTo, !reading, !readNeeded else { return false }
        let fresh = offers.filter { $0.id > known }.sorted { $0.id < $1.id }
        guard !fresh.isEmpty else { return true }
        for (index, item) in fresh.enumerated() where item.id != known + Int64(index) + 1 { return false }
        // No read is under way, and every finished send recorded its outcome before it counted as finished:
        // a later read can't list what they sent.
        busyChats.subtract(finishedChats)
        finishedChats.removeAll()
        let chats = Self.byChat(fresh)
        let startable = chats.allSatisfy { chat, items in
            let platform = items[0].delivery.platform
            return !busyChats.contains(chat) && !waitingChats.contains(chat) && channels[platform] != nil
                && sending[platform, default: 0] + chats.count <= Self.concurrentSends
        }
        guard startable else { return false }
        knownUpTo = fresh.last?.id
        startedInLastPump = 0
        for (chat, items) in chats {
            let platform = items[0].delivery.platform
            guard let channel = channels[platform] else { continue }
            startSending(items, chat: chat, platform: platform, channel: channel)
        }
        return true
    }

    /// Rows by chat (`Delivery.queue`), chats in the order of their oldest row, each chat's rows in order.
    private static func byChat(_ items: [OutboxItem]) -> [(chat: String, items: [OutboxItem])] {
        var chats: [(chat: String, items: [OutboxItem])] = []
        var index: [String: Int] = [:]
        for item in items {
            let chat = item.delivery.queue(key: item.key)
            if let position = index[chat] {
                chats[position].items.append(item)
            } else {
                index[chat] = chats.count
                chats.append((chat, [item]))
            }
        }
        return chats
    }

    private func startSending(_ items: [OutboxItem], chat: String, platform: Platform, channel: any DeliveryChannel) {
        sending[platform, default: 0] += 1
        startedInLastPump += 1
        busyChats.insert(chat)
        TaskPlace.task { await self.send(items, chat: chat, platform: platform, channel: channel) }
    }

    private func send(_ items: [OutboxItem], chat: String, platform: Platform, channel: any DeliveryChannel) async {
        for item in items {
            if stopping { break }
            if await !attempt(item, channel: channel) {
                waitingChats.insert(chat)
                break
            }
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
        readWanted = true
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
