import Foundation
import MatrixAdapter
import StewardCore
import StewardTesting
import Testing

/// The sync watchdog: a `/sync` that never comes back (a dead connection the request deadline can't break)
/// must not stop Steward from hearing messages.
@Suite struct MatrixSyncWatchdogTests {
    /// Answers `/sync` from a script (empty batches when it runs out, until the test adds more); the entry `"HANG"` is a
    /// call that ignores cancellation and returns only once the test releases it, with `lateAnswer`.
    final class HangingHomeserver: MatrixClient, @unchecked Sendable {
        let syncs: Locked<[String]>
        let released = Locked(false)
        let lateAnswer: String
        let hanging = Locked(0)
        let lateAnswered = Locked(false)

        init(syncs: [String], lateAnswer: String) {
            self.syncs = Locked(syncs)
            self.lateAnswer = lateAnswer
        }

        func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)],
                                                body: Data?, timeout: Duration?) async throws -> Result {
            var text = "{}"
            if path == "/sync" {
                let next = syncs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                guard let next else {
                    // A long poll that timed out with nothing new: the loop is alive, the watchdog stays calm.
                    try await Task.sleep(for: .milliseconds(50))
                    return try JSONDecoder().decode(Result.self, from: Data(#"{"next_batch":"idle"}"#.utf8))
                }
                text = next
                if next == "HANG" {
                    hanging.withLock { $0 += 1 }
                    while !released.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(20)) }
                    text = lateAnswer
                    defer { lateAnswered.withLock { $0 = true } }
                }
            } else if path.hasSuffix("/filter") {
                text = #"{"filter_id":"f1"}"#
            }
            return try JSONDecoder().decode(Result.self, from: Data(text.utf8))
        }
    }

    actor RecordingSink: MatrixBatchSink {
        var ids: [String] = []
        func accept(_ events: [InboundEvent], position key: String, value: String) async throws {
            ids += events.map(\.id)
        }
    }

    static func batch(_ next: String, _ id: String, _ body: String) -> String {
        let event = #"{"type":"m.room.message","event_id":"\#(id)","sender":"@ana:localhost","content":{"msgtype":"m.text","body":"\#(body)"}}"#
        return #"{"next_batch":"\#(next)","rooms":{"join":{"!dm:localhost":{"timeline":{"events":[\#(event)]}}}}}"#
    }

    @Test func aStalledSyncIsRestartedAndTheNextMessageStillArrivesWhileTheStaleOneIsDropped() async throws {
        let homeserver = HangingHomeserver(syncs: [Self.batch("s1", "$first", "/today"), "HANG", Self.batch("s2", "$after", "/week")],
                                           lateAnswer: Self.batch("s9", "$stale", "/next"))
        defer { homeserver.released.withLock { $0 = true } }
        let state = InMemoryStateRepository([MatrixSyncSource.sinceKey: "s0",
                                             MatrixSyncSource.directRoomsKey: #"{"!dm:localhost":"@ana:localhost"}"#])
        let sink = RecordingSink()
        // A 0 s long poll makes the stall limit one second: the watchdog acts within the test's patience.
        let source = MatrixSyncSource(client: homeserver, identity: MatrixIdentity(userID: "@steward:localhost"), sink: sink,
                                      state: state, isAllowed: { _ in true },
                                      configuration: .init(timeoutSeconds: 0, requestTimeoutMargin: .zero))
        let task = Task { try await source.run() }
        defer { task.cancel() }

        try await waitUntil(timeout: .seconds(20)) { await sink.ids.contains("matrix:event:$after") }
        // The hung sync was restarted. Not "exactly once": with a one-second stall limit, a full CI run
        // restarted the slow sync after it as well (2 against 1), which loses and doubles nothing (checked below).
        #expect(await source.watchdogRestarts >= 1)
        #expect(homeserver.hanging.withLock { $0 } == 1)

        // The hung call finally answers: its batch belongs to a loop the watchdog replaced, so it is not handled
        // (the stale loop would handle it at once; the live loop's next batch comes after it).
        homeserver.released.withLock { $0 = true }
        try await waitUntil(timeout: .seconds(30)) { homeserver.lateAnswered.withLock { $0 } }
        homeserver.syncs.withLock { $0.append(Self.batch("s3", "$later", "/agenda")) }
        try await waitUntil(timeout: .seconds(30)) { await sink.ids.contains("matrix:event:$later") }
        #expect(await sink.ids == ["matrix:event:$first", "matrix:event:$after", "matrix:event:$later"])
        // At least the one restart; with a one-second stall limit a loaded machine may restart a slow
        // later sync too, which loses and doubles nothing (the line above).
        #expect(await source.watchdogRestarts >= 1)
    }
}
