import Foundation
import Logging
import StewardCore
import StewardStorage
import Testing
@testable import StewardRuntime

/// An edit queued by anything (an expired card, a recovered approval) reaches a platform that declares it
/// can't edit as a new message with the same content; a platform that can edit gets the edit.
@Suite struct EditlessChannelTests {
    actor RecordingChannel: DeliveryChannel {
        nonisolated let platform = Platform.matrix
        nonisolated let capabilities: ChannelCapabilities
        private(set) var received: [Delivery] = []

        init(editsMessages: Bool) { capabilities = ChannelCapabilities(editsMessages: editsMessages) }

        func deliver(_ delivery: Delivery) async throws -> String? {
            received.append(delivery)
            return "m\(received.count)"
        }
    }

    @Test func anEditToAPlatformThatCantEditIsSentAsANewMessage() async throws {
        let chat = ChatRef(platform: .matrix, chatID: "!dm:example.org", isPrivate: true)
        let outcome = OutboundMessage(title: "Expired", text: "Lunch — nothing was booked.")
        for editsMessages in [false, true] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("editless-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
            try await store.enqueue([("expiry-1", .edit(chat: chat, messageID: "$card", message: outcome))], at: Date())
            let channel = RecordingChannel(editsMessages: editsMessages)
            await OutboxDispatcher(outbox: store, users: store, channels: [.matrix: channel], logger: Logger(label: "test"))
                .flush()
            let expected: Delivery = editsMessages ? .edit(chat: chat, messageID: "$card", message: outcome)
                : .send(chat: chat, message: outcome)
            #expect(await channel.received == [expected])
            #expect(try await store.pendingCount() == 0)
        }
    }
}
