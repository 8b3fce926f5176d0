import Foundation
import MatrixAdapter
import StewardCore
import StewardTesting
import Testing

/// The sync loop against a scripted homeserver: what it stores, when, and what it refuses.
@Suite struct MatrixSyncSourceTests {
    /// Answers `/sync` from a script (then long-polls forever) and `/messages` from a fixed page.
    final class ScriptedHomeserver: MatrixClient, @unchecked Sendable {
        let syncs: Locked<[String]>
        let messagesPage: String
        let calls = Locked<[String]>([])

        init(syncs: [String], messagesPage: String = #"{"chunk":[]}"#) {
            self.syncs = Locked(syncs)
            self.messagesPage = messagesPage
        }

        func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)],
                                                body: Data?, timeout: Duration?) async throws -> Result {
            calls.withLock { $0.append("\(method) \(path.components(separatedBy: "/").prefix(3).joined(separator: "/"))") }
            let text: String
            if path == "/sync" {
                guard let next = syncs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                    try await Task.sleep(for: .seconds(3600))
                    throw CancellationError()
                }
                text = next
            } else if path.hasSuffix("/filter") {
                text = #"{"filter_id":"f1"}"#
            } else if path.hasSuffix("/messages") {
                text = messagesPage
            } else {
                text = "{}"
            }
            return try JSONDecoder().decode(Result.self, from: Data(text.utf8))
        }
    }

    actor RecordingSink: MatrixBatchSink {
        var batches: [(events: [InboundEvent], position: String)] = []
        func accept(_ events: [InboundEvent], position key: String, value: String) async throws {
            batches.append((events, value))
        }
    }

    static func message(_ id: String, _ body: String, from sender: String = "@ana:localhost") -> String {
        #"{"type":"m.room.message","event_id":"\#(id)","sender":"\#(sender)","content":{"msgtype":"m.text","body":"\#(body)"}}"#
    }

    /// Starts the loop; the caller waits for what it expects, then cancels the returned task.
    func start(_ homeserver: ScriptedHomeserver, state: InMemoryStateRepository,
               isAllowed: @escaping @Sendable (String) -> Bool = { _ in true }) -> (RecordingSink, Task<Void, any Error>) {
        let sink = RecordingSink()
        let source = MatrixSyncSource(client: homeserver, identity: MatrixIdentity(userID: "@steward:localhost"), sink: sink,
                                      state: state, isAllowed: isAllowed)
        return (sink, Task { try await source.run() })
    }

    @Test func theFirstSyncOnlyTakesThePositionAndLaterOnesStoreEventsWithIt() async throws {
        let room = "!dm:localhost"
        let first = #"{"next_batch":"s1","rooms":{"join":{"\#(room)":{"timeline":{"events":[\#(Self.message("$old", "/today"))]}}}}}"#
        let second = #"{"next_batch":"s2","rooms":{"join":{"\#(room)":{"timeline":{"events":[\#(Self.message("$new", "/week"))]}}}}}"#
        let homeserver = ScriptedHomeserver(syncs: [first, second])
        let state = InMemoryStateRepository([MatrixSyncSource.directRoomsKey: #"{"\#(room)":"@ana:localhost"}"#])
        let (sink, task) = start(homeserver, state: state)
        defer { task.cancel() }
        try await waitUntil { await sink.batches.count == 2 }
        let batches = await sink.batches
        #expect(batches[0].events.isEmpty && batches[0].position == "s1")
        #expect(batches[1].events.map(\.id) == ["matrix:event:$new"] && batches[1].position == "s2")
        #expect(batches[1].events.first?.chat.isPrivate == true)
    }

    @Test func aLimitedTimelineIsPagedBackSoNothingInTheGapIsLost() async throws {
        let room = "!dm:localhost"
        let limited = #"{"next_batch":"s3","rooms":{"join":{"\#(room)":{"timeline":{"limited":true,"prev_batch":"p1","events":[\#(Self.message("$c", "/next"))]}}}}}"#
        // /messages answers newest first.
        let page = #"{"chunk":[\#(Self.message("$b", "/week")),\#(Self.message("$a", "/today"))]}"#
        let homeserver = ScriptedHomeserver(syncs: [limited], messagesPage: page)
        let state = InMemoryStateRepository([MatrixSyncSource.sinceKey: "s2",
                                             MatrixSyncSource.directRoomsKey: #"{"\#(room)":"@ana:localhost"}"#])
        let (sink, task) = start(homeserver, state: state)
        defer { task.cancel() }
        try await waitUntil { await sink.batches.count == 1 }
        let batches = await sink.batches
        #expect(batches[0].events.map(\.id) == ["matrix:event:$a", "matrix:event:$b", "matrix:event:$c"])
    }

    @Test func aStrangersInviteIsLeftAndAnOwnersDirectInviteIsJoinedAndRecorded() async throws {
        func invite(_ room: String, from sender: String) -> String {
            #""\#(room)":{"invite_state":{"events":[{"type":"m.room.member","sender":"\#(sender)","state_key":"@steward:localhost","content":{"membership":"invite","is_direct":true}}]}}"#
        }
        let sync = #"{"next_batch":"s1","rooms":{"invite":{\#(invite("!eve:localhost", from: "@eve:localhost")),\#(invite("!ana:localhost", from: "@ana:localhost"))}}}"#
        let homeserver = ScriptedHomeserver(syncs: [sync])
        let state = InMemoryStateRepository()
        let (sink, task) = start(homeserver, state: state, isAllowed: { $0 == "@ana:localhost" })
        defer { task.cancel() }
        try await waitUntil { await sink.batches.count == 1 }
        let calls = homeserver.calls.withLock { $0 }
        #expect(calls.contains("POST /rooms/%21eve%3Alocalhost"))
        #expect(calls.contains("POST /join/%21ana%3Alocalhost"))
        #expect(!calls.contains("POST /join/%21eve%3Alocalhost"))
        #expect(calls.contains("PUT /user/%40steward%3Alocalhost"))
        #expect(try await state.value(MatrixSyncSource.directRoomsKey) == #"{"!ana:localhost":"@ana:localhost"}"#)
    }
}
