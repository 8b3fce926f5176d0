/// Group commit: items submitted while a transaction is being written share the next one, so a burst
/// costs a few transactions instead of one per item. Each caller returns once its own item is stored.
/// If a shared transaction fails, its items are retried one by one, so one bad item can't fail its
/// neighbours.
actor GroupCommit<Item: Sendable> {
    private let write: @Sendable ([Item]) async throws -> Void
    private var queued: [(Item, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(write: @escaping @Sendable ([Item]) async throws -> Void) {
        self.write = write
    }

    func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { continuation in
            queued.append((item, continuation))
            if !writing {
                writing = true
                Task { await self.writeQueued() }
            }
        }
    }

    private func writeQueued() async {
        while !queued.isEmpty {
            let batch = queued
            queued = []
            do {
                try await write(batch.map(\.0))
                batch.forEach { $0.1.resume() }
            } catch where batch.count > 1 {
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
        }
        writing = false
    }
}
