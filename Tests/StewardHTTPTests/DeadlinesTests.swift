import Foundation
import NIOCore
import StewardCore
import StewardTesting
import Testing
@testable import StewardHTTP

/// Requests' deadlines on one shared timer: what expires is ended once, at its time, earliest first, and
/// what finished in time is forgotten (nothing left behind after thousands of requests).
@Suite struct DeadlinesTests {
    @Test func onlyWhatIsStillWaitingExpiresAndEachOnce() async throws {
        let deadlines = Deadlines()
        let fired = Locked<[String]>([])
        // A long one first (the alarm is set for it), then a short one, which must move the alarm earlier.
        let start = NIODeadline.now()
        _ = deadlines.add(start + .milliseconds(1_500)) { fired.withLock { $0.append("long") } }
        _ = deadlines.add(start + .milliseconds(50)) { fired.withLock { $0.append("short") } }
        let finished = deadlines.add(start + .milliseconds(1_000)) { fired.withLock { $0.append("finished in time") } }
        deadlines.remove(finished)
        try await waitUntil { fired.withLock { $0.count } == 2 }
        #expect(fired.withLock { $0 } == ["short", "long"], "each once, earliest first; a removed one never")
        #expect(deadlines.count == 0)
        // And not before its time.
        #expect(NIODeadline.now() - start >= .milliseconds(1_500))
    }

    @Test func thousandsOfRequestsThatFinishInTimeLeaveNothingBehind() async throws {
        let deadlines = Deadlines()
        let fired = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 {
                        let entry = deadlines.add(.now() + .seconds(30)) { fired.withLock { $0 += 1 } }
                        deadlines.remove(entry)
                    }
                }
            }
        }
        #expect(deadlines.count == 0)
        // One that does run out still expires, after all that.
        _ = deadlines.add(.now() + .milliseconds(20)) { fired.withLock { $0 += 1 } }
        try await waitUntil { fired.withLock { $0 } == 1 }
    }
}
