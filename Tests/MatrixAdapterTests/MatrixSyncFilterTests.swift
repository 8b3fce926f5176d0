import Foundation
import MatrixAdapter
import StewardCore
import StewardTesting
import Testing

/// The `/sync` filter the loop asks the homeserver for: what Steward is woken up for.
@Suite struct MatrixSyncFilterTests {
    /// Records filter uploads and the filter each `/sync` names; answers one empty sync, then long-polls.
    final class FilterRecordingHomeserver: MatrixClient, @unchecked Sendable {
        let uploads = Locked<[Data]>([])
        let syncFilters = Locked<[String]>([])

        func call<Result: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)],
                                                body: Data?, timeout: Duration?) async throws -> Result {
            let text: String
            if path == "/sync" {
                let first = syncFilters.withLock { filters in
                    filters.append(query.first { $0.0 == "filter" }?.1 ?? "")
                    return filters.count == 1
                }
                guard first else {
                    try await Task.sleep(for: .seconds(3600))
                    throw CancellationError()
                }
                text = #"{"next_batch":"s2"}"#
            } else if path.hasSuffix("/filter") {
                uploads.withLock { $0.append(body ?? Data()) }
                text = #"{"filter_id":"fresh"}"#
            } else {
                text = "{}"
            }
            return try JSONDecoder().decode(Result.self, from: Data(text.utf8))
        }
    }

    struct DiscardingSink: MatrixBatchSink {
        func accept(_ events: [InboundEvent], position key: String, value: String) async throws {}
    }

    func run(_ homeserver: FilterRecordingHomeserver, state: InMemoryStateRepository) -> Task<Void, any Error> {
        let source = MatrixSyncSource(client: homeserver, identity: MatrixIdentity(userID: "@steward:localhost"),
                                      sink: DiscardingSink(), state: state, isAllowed: { _ in true })
        return Task { try await source.run() }
    }

    /// Each answer Steward sends would otherwise come straight back in its own `/sync`, waking it for nothing.
    @Test func stewardsOwnEventsAreNotSyncedBackToIt() async throws {
        let homeserver = FilterRecordingHomeserver()
        let task = run(homeserver, state: InMemoryStateRepository([MatrixSyncSource.sinceKey: "s1"]))
        defer { task.cancel() }
        try await waitUntil { homeserver.syncFilters.withLock { !$0.isEmpty } }
        let upload = try #require(homeserver.uploads.withLock { $0.first })
        let filter = try #require(try JSONSerialization.jsonObject(with: upload) as? [String: Any])
        let timeline = (filter["room"] as? [String: Any])?["timeline"] as? [String: Any]
        #expect(timeline?["not_senders"] as? [String] == ["@steward:localhost"])
        #expect(timeline?["types"] as? [String] == ["m.room.message", "m.reaction", "m.room.encrypted"])
        #expect(homeserver.syncFilters.withLock { $0 }.allSatisfy { $0 == "fresh" })
    }

    /// A filter uploaded by an earlier version (which let Steward's own events through) is not used again.
    @Test func aFilterStoredByAnEarlierVersionIsReplaced() async throws {
        let homeserver = FilterRecordingHomeserver()
        let state = InMemoryStateRepository([MatrixSyncSource.sinceKey: "s1",
                                             MatrixSyncSource.filterKey: "@steward:localhost|v1|old"])
        let task = run(homeserver, state: state)
        defer { task.cancel() }
        try await waitUntil { homeserver.syncFilters.withLock { !$0.isEmpty } }
        #expect(homeserver.uploads.withLock { $0.count } == 1)
        #expect(homeserver.syncFilters.withLock { $0 }.allSatisfy { $0 == "fresh" })
        #expect(try await state.value(MatrixSyncSource.filterKey) == "@steward:localhost|v2|fresh")
    }
}
