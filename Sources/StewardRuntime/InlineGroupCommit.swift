import StewardCore

/// Group commit: items submitted while a transaction is being written share the next one, so a burst
/// costs a few transactions instead of one per item; each caller returns once its own item is stored, and
/// if a shared transaction fails its items are retried one by one, so one bad item can't fail its
/// neighbours. A caller that finds no write under way writes its own item right away, on its own thread.
///
/// Why inline: the group commit this replaced (an actor that always started a task to write) made an item
/// that arrives alone — most answers and sent marks at a steady rate — cost a task, a hop onto the actor
/// and a resume back, each a thread wake-up, around one short write the store runs on the caller's thread
/// anyway. Used for answers (`InboundProcessor`) and sent marks (`OutboxDispatcher`).
final class InlineGroupCommit<Item: Sendable>: Sendable {
    private struct State {
        var writing = false
        var queued: [(Item, CheckedContinuation<Void, any Error>)] = []
    }

    private let write: @Sendable ([Item]) async throws -> Void
    private let state = Locked(State())
    private let gathers: Bool

    /// - Parameter gathers: a caller that would write alone first lets the tasks ready on its thread add
    ///   their items (see `submit`); worth it when tasks share the event loops (`TaskPlace`).
    init(gathers: Bool = TaskPlace.preferred != nil, write: @escaping @Sendable ([Item]) async throws -> Void) {
        self.gathers = gathers
        self.write = write
    }

    /// Returns once `item` is stored; throws when its write failed.
    func submit(_ item: Item) async throws {
        let leads = state.withLock { state in
            if state.writing { return false }
            state.writing = true
            return true
        }
        if leads {
            // When tasks share the event loops (`TaskPlace`), the others ready to submit run on this same
            // thread, after this one: one turn of the loop lets their items join this transaction, where
            // writing at once would give a burst one transaction per item.
            if gathers { await Task.yield() }
            let joined = state.withLock { state in
                defer { state.queued = [] }
                return state.queued
            }
            if joined.isEmpty {
                defer { handOn() }
                try await write([item])
                return
            }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                TaskPlace.task { await self.writeQueued(starting: [(item, continuation)] + joined) }
            }
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let leadsNow = state.withLock { state in
                if state.writing {
                    state.queued.append((item, continuation))
                    return false
                }
                state.writing = true
                return true
            }
            // The write finished between the two looks: this item starts the next one.
            if leadsNow { TaskPlace.task { await self.writeQueued(starting: [(item, continuation)]) } }
        }
    }

    /// After a caller's own write: what queued meanwhile is written by a task, so the caller goes back to
    /// its own work instead of writing for others.
    private func handOn() {
        let next = state.withLock { state -> [(Item, CheckedContinuation<Void, any Error>)]? in
            if state.queued.isEmpty {
                state.writing = false
                return nil
            }
            defer { state.queued = [] }
            return state.queued
        }
        if let next { TaskPlace.task { await self.writeQueued(starting: next) } }
    }

    private func writeQueued(starting first: [(Item, CheckedContinuation<Void, any Error>)]) async {
        var batch = first
        while !batch.isEmpty {
            do {
                try await write(batch.map(\.0))
                batch.forEach { $0.1.resume() }
            } catch where batch.count > 1 {
                // One bad item must not fail its neighbours: each is tried alone.
                for (item, continuation) in batch {
                    do {
                        try await write([item])
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            } catch {
                batch.forEach { $0.1.resume(throwing: error) }
            }
            batch = state.withLock { state in
                defer { state.queued = [] }
                if state.queued.isEmpty { state.writing = false }
                return state.queued
            }
        }
    }
}
