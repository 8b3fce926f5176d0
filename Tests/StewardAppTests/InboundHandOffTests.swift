import Foundation
import GRDB
import Logging
@testable import StewardApp
import StewardCore
import StewardHTTP
@testable import StewardRuntime
@testable import StewardStorage
import StewardTesting
import TelegramAdapter
import Testing

/// The real store, counting how often the processor reads stored events back.
final class ReadCountingInbound: InboundRepository, @unchecked Sendable {
    let store: SQLiteStore
    private let lock = NSLock()
    private var readCalls = 0
    var reads: Int { lock.withLock { readCalls } }

    init(store: SQLiteStore) { self.store = store }

    func store(_ event: InboundEvent) async throws -> Bool { try await store.store(event) }
    func storeBatch(_ events: [InboundEvent]) async throws -> [InboundEvent] { try await store.storeBatch(events) }
    func storeBatch(_ events: [InboundEvent], cursor: InboundCursor?) async throws -> [StoredInboundEvent]? {
        try await store.storeBatch(events, cursor: cursor)
    }
    func unprocessed(limit: Int) async throws -> [InboundEvent] { try await store.unprocessed(limit: limit) }
    func unprocessed(after position: Int64, limit: Int) async throws -> [StoredInboundEvent] {
        lock.withLock { readCalls += 1 }
        return try await store.unprocessed(after: position, limit: limit)
    }
    func complete(_ completions: [InboundCompletion], at date: Date) async throws {
        try await store.complete(completions, at: date)
    }
}

@Suite struct InboundHandOffTests {
    static func answers(_ world: World, in chat: ChatRef = World.ownerDM) async throws -> [String] {
        try await world.store.pending(platform: .telegram, limit: 500, excludingQueues: []).filter { $0.delivery.chat == chat }
            .compactMap { if case .send(_, let message) = $0.delivery { message.plainText } else { nil } }
    }

    static func settings(_ world: World, minutes: Int, id: String) -> InboundEvent {
        world.event(.command(name: "settings", arguments: "buffer \(minutes)m"), id: id)
    }

    /// Runs a processor over `inbound` while `body` runs, then stops it.
    static func running<T>(_ world: World, inbound: any InboundRepository,
                           _ body: (InboundProcessor) async throws -> T) async throws -> T {
        let processor = InboundProcessor(inbound: inbound, orchestrator: world.orchestrator, presence: [:],
                                         delivered: {}, logger: Logger(label: "test"))
        let task = Task { await processor.run() }
        defer { task.cancel() }
        let result = try await body(processor)
        task.cancel()
        await task.value
        return result
    }

    /// A message stored one at a time (as a paced bot sees them) is answered from what `accept` stored,
    /// not read back from the database: after the first, none is read again.
    @Test func messagesAcceptedOneByOneAreAnsweredWithoutBeingReadBack() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let counting = ReadCountingInbound(store: world.store)
        try await Self.running(world, inbound: counting) { processor in
            for minutes in 1...20 {
                try await processor.accept([Self.settings(world, minutes: minutes, id: "m\(minutes)")])
                try await waitUntil { (try? await Self.answers(world).count) == minutes }
            }
        }
        #expect(try await Self.answers(world) == (1...20).map { "Saved: buffer \($0)m" })
        #expect(try await world.store.unprocessed(limit: 100).isEmpty)
        // One read when the processor starts and one for the first message, whose place it did not know yet.
        #expect(counting.reads <= 2, "20 messages were read back \(counting.reads) times")
    }

    /// An event stored by another path (as Matrix stores a sync batch itself) between two handed-over
    /// messages is still answered, before the later message of the same person.
    @Test func anEventStoredByAnotherPathIsStillAnsweredInOrder() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        try await Self.running(world, inbound: world.store) { processor in
            try await processor.accept([Self.settings(world, minutes: 1, id: "a")])
            try await waitUntil { (try? await Self.answers(world).count) == 1 }
            try await processor.accept([Self.settings(world, minutes: 2, id: "b")])
            try await waitUntil { (try? await Self.answers(world).count) == 2 }
            // Stored without telling the processor: only a read can find it.
            _ = try await world.store.storeBatch([Self.settings(world, minutes: 3, id: "c")])
            try await processor.accept([Self.settings(world, minutes: 4, id: "d")])
            try await waitUntil { (try? await Self.answers(world).count) == 4 }
        }
        #expect(try await Self.answers(world) == (1...4).map { "Saved: buffer \($0)m" })
        #expect(try await world.store.settings(of: 1).bufferMinutes == 4)
        #expect(try await world.store.unprocessed(limit: 100).isEmpty)
    }

    /// Telegram's offset is written in the transaction that stores the batch it acknowledges: while the
    /// offset can't be written, nothing of the batch is stored either (and Telegram sends it again); once it
    /// can, the batch and its offset land together and each message is answered once.
    @Test func aPollBatchAndItsOffsetAreStoredTogether() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        try await world.store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_offset BEFORE INSERT ON state WHEN NEW.key = 'telegram.offset'
                BEGIN SELECT RAISE(ABORT, 'the offset cannot be written'); END
                """)
        }
        func storedEvents() async throws -> Int {
            try await world.store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM inbound_events") ?? 0 }
        }
        let fake = FakeTelegramServer()
        try await fake.start()
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let client = HTTPTelegramClient(token: fake.token, baseURL: try await fake.baseURL, transport: transport,
                                        defaultTimeout: .seconds(30))
        let owner = FakeTelegramUser(id: 100, firstName: "Owner")
        try await withCleanup {
            try await Self.running(world, inbound: world.store) { processor in
                let source = TelegramUpdateSource(
                    client: client, normalizer: TelegramNormalizer(botUsername: fake.bot.username!, botID: fake.bot.id),
                    sink: processor, state: world.store,
                    configuration: .init(pollTimeoutSeconds: 1, requestTimeoutMargin: .seconds(10),
                                         backoff: RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(50),
                                                              maxDelay: .milliseconds(100))))
                let polling = Task { try await source.run() }
                defer { polling.cancel() }
                await fake.sendText("/settings buffer 5m", from: owner)
                let last = await fake.sendText("/settings buffer 6m", from: owner)
                // The batch is fetched again and again while its offset can't be written.
                try await waitUntil { await fake.requests(method: "getUpdates").count >= 4 }
                #expect(try await storedEvents() == 0, "a batch was stored without its offset")
                #expect(try await world.store.value(TelegramUpdateSource.offsetKey) == nil)

                try await world.store.pool.write { try $0.execute(sql: "DROP TRIGGER refuse_offset") }
                try await waitUntil { (try? await world.store.value(TelegramUpdateSource.offsetKey)) == String(last + 1) }
                try await waitUntil { (try? await Self.answers(world).count) == 2 }
                polling.cancel()
                _ = await polling.result
            }
        } cleanup: {
            await fake.stop()
            try? await transport.shutdown()
        }
        #expect(try await storedEvents() == 2)
        #expect(try await Self.answers(world) == ["Saved: buffer 5m", "Saved: buffer 6m"])
        #expect(try await world.store.unprocessed(limit: 100).isEmpty)
    }
}
