import Foundation
import StewardCore

/// The processor's bookkeeping: which events are being answered, each lane's backlog, who waits for a
/// slot. Plain state behind one lock; the processor starts and ends the tasks.
struct Lanes {
    enum Key: Hashable, Sendable {
        case sender(ChatIdentity)
        /// Everyone Steward doesn't know, together.
        case strangers
    }

    /// The highest stored position handed to a lane: the next read starts after it.
    var cursor: Int64 = 0
    /// Events handed to a lane and not yet answered: a read that overlaps them skips them.
    var inFlight: Set<String> = []
    var backlog: [Key: [StoredInboundEvent]] = [:]
    var running: Set<Key> = []
    var tasks: [Key: Task<Void, Never>] = [:]
    /// Known senders with events but no slot yet, oldest first.
    var waiting: [Key] = []
    var waitingSet: Set<Key> = []
    var handled = 0
    /// An answer could not be stored since the last read: read again soon.
    var failedSince = false
    var stopping = false
    /// A read is under way; another request for one makes it read again instead of running alongside.
    var reading = false
    var readAgain = false
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Every unprocessed event stored at or below this position has been handed to a lane, so events
    /// stored right after it may be handed over as they are stored, without reading them back. Nil when
    /// that is not known (before the first read, after a failure, after events stored by another path):
    /// only a read establishes it again. Unlike `cursor` it is not reset when idle.
    var handedUpTo: Int64?

    var isIdle: Bool { inFlight.isEmpty }

    private var knownRunning: Int { running.count - (running.contains(.strangers) ? 1 : 0) }

    /// Hands a read's events to their lanes; returns the lanes to start.
    mutating func take(_ batch: [StoredInboundEvent], lane: (InboundEvent) -> Key, parallel: Int) -> [Key] {
        var starts: [Key] = []
        for stored in batch {
            cursor = max(cursor, stored.position)
            guard inFlight.insert(stored.event.id).inserted else { continue }
            let key = lane(stored.event)
            backlog[key, default: []].append(stored)
            if running.contains(key) || waitingSet.contains(key) { continue }
            if key == .strangers || knownRunning < parallel {
                running.insert(key)
                starts.append(key)
            } else {
                waiting.append(key)
                waitingSet.insert(key)
            }
        }
        return starts
    }

    /// Hands events just stored to their lanes when they follow `handedUpTo` without a gap (no other
    /// path stored anything in between, no read is under way, no answer waits to be retried); returns the
    /// lanes to start, or nil when the events must be read from the store instead.
    mutating func handOff(_ stored: [StoredInboundEvent], lane: (InboundEvent) -> Key, parallel: Int) -> [Key]? {
        guard let first = stored.first?.position, let last = stored.last?.position else { return [] }
        guard !stopping, !reading, !failedSince, let after = handedUpTo, first == after + 1,
              last - first == Int64(stored.count - 1) else {
            handedUpTo = nil
            return nil
        }
        handedUpTo = last
        return take(stored, lane: lane, parallel: parallel)
    }

    /// The lane's next event, or nil when its backlog is empty (the lane then ends).
    mutating func next(in key: Key) -> StoredInboundEvent? {
        if stopping { return end(key) }
        guard var queue = backlog[key], !queue.isEmpty else { return end(key) }
        let first = queue.removeFirst()
        backlog[key] = queue.isEmpty ? nil : queue
        return first
    }

    private mutating func end(_ key: Key) -> StoredInboundEvent? {
        running.remove(key)
        tasks[key] = nil
        return nil
    }

    /// Gives free slots to waiting senders; returns the lanes to start.
    mutating func promote(parallel: Int) -> [Key] {
        var starts: [Key] = []
        while knownRunning < parallel, !waiting.isEmpty {
            let key = waiting.removeFirst()
            waitingSet.remove(key)
            running.insert(key)
            starts.append(key)
        }
        return starts
    }

    /// Records an answered (or failed) event; returns lanes to start and callers waiting for idleness.
    mutating func finish(_ event: StoredInboundEvent, stored: Bool, lane key: Key,
                         parallel: Int) -> (starts: [Key], waiters: [CheckedContinuation<Void, Never>]) {
        inFlight.remove(event.event.id)
        if stored {
            handled += 1
        } else {
            // Later events of this sender must not overtake the failed one: the lane stops, and all of it
            // is read again from the failed event on.
            for rest in backlog[key] ?? [] { inFlight.remove(rest.event.id) }
            backlog[key] = nil
            running.remove(key)
            tasks[key] = nil
            cursor = min(cursor, event.position - 1)
            failedSince = true
            handedUpTo = nil
        }
        let starts = promote(parallel: parallel)
        var waiters: [CheckedContinuation<Void, Never>] = []
        if inFlight.isEmpty {
            waiters = idleWaiters
            idleWaiters = []
            // Nothing is in flight, so a read from the start finds exactly what is unprocessed; this also
            // survives positions starting over once old rows were pruned from an idle store.
            if !failedSince { cursor = 0 }
        }
        return (starts, waiters)
    }
}
