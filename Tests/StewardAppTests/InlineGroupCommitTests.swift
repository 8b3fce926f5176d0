import Foundation
@testable import StewardRuntime
import StewardCore
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
}
