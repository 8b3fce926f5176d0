import Foundation
@testable import StewardRuntime
import StewardCore
import StewardHTTP
import Testing

@Suite struct InlineGroupCommitTests {
    struct Refused: Error {}

    /// Records every transaction; items named "bad" make their transaction fail.
    final class Writes: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[String]] = []
        var all: [[String]] { lock.withLock { batches } }

        func write(_ items: [String]) async throws {
            try await Task.sleep(for: .milliseconds(30))
            if items.contains("bad") { throw Refused() }
            lock.withLock { batches.append(items) }
        }
    }

    /// A lone answer is written by its caller at once; answers that finish while a write runs share the
    /// next transaction instead of taking one each.
    @Test func answersFinishedTogetherShareTransactions() async throws {
        let writes = Writes()
        let commit = InlineGroupCommit<String> { try await writes.write($0) }
        try await commit.submit("alone")
        #expect(writes.all == [["alone"]])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...40 { group.addTask { try await commit.submit("e\(index)") } }
            try await group.waitForAll()
        }
        let written = writes.all.dropFirst()
        #expect(written.flatMap { $0 }.sorted() == (1...40).map { "e\($0)" }.sorted())
        #expect(written.count < 10, "40 answers took \(written.count) transactions")
    }

    /// One item that can't be stored fails alone: the others in its transaction are stored, and the next
    /// caller is not stuck behind it.
    @Test func aBadItemFailsOnlyItsOwnCaller() async throws {
        let writes = Writes()
        let commit = InlineGroupCommit<String> { try await writes.write($0) }
        let results = await withTaskGroup(of: (String, Bool).self) { group in
            for item in ["a", "b", "bad", "c", "d"] {
                group.addTask { (item, (try? await commit.submit(item)) != nil) }
            }
            var results: [String: Bool] = [:]
            for await (item, stored) in group { results[item] = stored }
            return results
        }
        #expect(results == ["a": true, "b": true, "bad": false, "c": true, "d": true])
        try await commit.submit("later")
        #expect(writes.all.last == ["later"])
    }

    /// The store's write runs on its caller's thread without suspending. When the answering tasks share
    /// the event loops, a caller that would write alone first lets those ready on its loop add theirs: a
    /// burst of answers made ready together takes a few transactions, not one each, and every caller
    /// still returns once its own answer is stored.
    ///
    /// The answers are made ready together on one loop, as one `getUpdates` answer's events are: each task
    /// waits at a gate that a task on a loop opens once all have arrived. Started straight away, how many
    /// met depended on how fast the test could start them (a loaded machine once gave 100 transactions).
    @Test func onTheLoopsAnswersReadyTogetherShareTransactions() async throws {
        let batches = Locked<[[Int]]>([])
        let commit = InlineGroupCommit<Int>(gathers: true) { items in batches.withLock { $0.append(items) } }
        let executor = EventLoopTaskExecutor()
        let gate = Locked<[CheckedContinuation<Void, Never>]>([])
        let (allArrived, arrival) = AsyncStream<Void>.makeStream()
        let stored = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 1...200 {
                group.addTask(executorPreference: executor) {
                    await withCheckedContinuation { continuation in
                        let count = gate.withLock { $0.append(continuation); return $0.count }
                        if count == 200 { arrival.finish() }
                    }
                    try await commit.submit(index)
                    return index
                }
            }
            for await _ in allArrived {}
            // Resumed from a loop, every task goes on that loop, in one turn.
            await Task(executorPreference: executor) { gate.withLock { $0 }.forEach { $0.resume() } }.value
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let written = batches.withLock { $0 }
        #expect(stored.sorted() == Array(1...200))
        #expect(written.flatMap { $0 }.sorted() == Array(1...200), "each answer stored exactly once")
        #expect(written.count <= 10, "200 answers took \(written.count) transactions")
    }

    /// Gathered on the loops too, one answer that can't be stored fails alone: the rest of its transaction
    /// is stored, each once, and the next answer is not stuck behind it.
    @Test func onTheLoopsABadItemAmongGatheredOnesFailsOnlyItsOwnCaller() async throws {
        let batches = Locked<[[Int]]>([])
        let commit = InlineGroupCommit<Int>(gathers: true) { items in
            if items.contains(13) { throw Refused() }
            batches.withLock { $0.append(items) }
        }
        let executor = EventLoopTaskExecutor()
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 1...50 {
                group.addTask(executorPreference: executor) { (index, (try? await commit.submit(index)) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == [13])
        #expect(batches.withLock { $0 }.flatMap { $0 }.sorted() == Array(1...50).filter { $0 != 13 })
        try await commit.submit(100)
        #expect(batches.withLock { $0 }.last == [100])
    }
}
