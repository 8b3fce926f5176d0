import Foundation
import Logging
import StewardCore
import StewardTesting
import Testing
@testable import StewardRuntime

/// A slow model answer shows a "Working on it…" message with its steps, which then becomes the answer:
/// one message in the chat, not two. Quick answers never show it.
@Suite struct WorkingMessagesTests {
    /// A platform that records what it was asked to send or edit and numbers the messages it creates.
    actor RecordingChannel: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        nonisolated let capabilities: ChannelCapabilities
        init(editsMessages: Bool = true) { capabilities = ChannelCapabilities(editsMessages: editsMessages) }
        private(set) var deliveries: [Delivery] = []
        func deliver(_ delivery: Delivery) -> String? {
            deliveries.append(delivery)
            if case .send = delivery { return "m\(deliveries.count)" }
            return nil
        }
    }

    static let chat = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static func event(_ id: String = UUID().uuidString, chat: ChatRef = chat) -> InboundEvent {
        InboundEvent(id: id, sender: ChatIdentity(platform: .telegram, userID: "100"), chat: chat,
                     kind: .message("hmm, what's up?"), receivedAt: Date())
    }
    static let answer = KeyedDelivery(key: "e#0", delivery: .send(chat: chat, message: OutboundMessage(text: "All clear.")))

    func working(delay: Duration = .zero) -> (WorkingMessages, RecordingChannel) {
        let channel = RecordingChannel()
        return (WorkingMessages(channels: [.telegram: channel], delay: delay, updateInterval: .milliseconds(50),
                                logger: Logger(label: "test")), channel)
    }

    @Test func theStepsShowInOneMessageThatBecomesTheAnswer() async throws {
        let (working, channel) = working()
        let event = Self.event()
        working.begin(event)
        working.report("looking at your calendar", for: event)
        try await waitUntil { await channel.deliveries.count == 1 }
        working.report("searching your mail", for: event)
        working.report("searching your mail", for: event)
        try await waitUntil { await channel.deliveries.count == 2 }
        let shown = await channel.deliveries
        #expect(shown[0] == .send(chat: Self.chat, message: OutboundMessage(text: "Working on it…\n• looking at your calendar")))
        #expect(shown[1] == .edit(chat: Self.chat, messageID: "m1",
                                  message: OutboundMessage(text: "Working on it…\n• looking at your calendar\n• searching your mail")))

        let final = await working.finish(event, [Self.answer])
        #expect(final == [KeyedDelivery(key: "e#0", delivery: .edit(chat: Self.chat, messageID: "m1",
                                                                     message: OutboundMessage(text: "All clear.")))])
    }

    @Test func aQuickAnswerOrAGroupChatNeverShowsIt() async throws {
        let (working, channel) = working(delay: .seconds(60))
        let event = Self.event()
        working.begin(event)
        working.report("looking at your calendar", for: event)
        #expect(await working.finish(event, [Self.answer]) == [Self.answer])

        let (eager, eagerChannel) = self.working()
        let group = Self.event(chat: ChatRef(platform: .telegram, chatID: "-5", isPrivate: false))
        eager.begin(group)
        eager.report("looking at your calendar", for: group)
        #expect(await eager.finish(group, [Self.answer]) == [Self.answer])
        // `finish` waits for any update under way and ends the entry, so nothing can be shown after it returned.
        #expect(await channel.deliveries.isEmpty)
        #expect(await eagerChannel.deliveries.isEmpty)
    }

    /// Where a sent message can't be replaced, each step would stay behind as one more message: none is shown,
    /// and the answer goes out as it is.
    @Test func aPlatformThatCannotEditNeverShowsIt() async throws {
        let channel = RecordingChannel(editsMessages: false)
        let working = WorkingMessages(channels: [.telegram: channel], delay: .zero, updateInterval: .milliseconds(50),
                                      logger: Logger(label: "test"))
        let event = Self.event()
        working.begin(event)
        working.report("looking at your calendar", for: event)
        working.report("searching your mail", for: event)
        #expect(await working.finish(event, [Self.answer]) == [Self.answer])
        #expect(await channel.deliveries.isEmpty)
    }

    @Test func anAnswerThatIsOnlyACardMarksTheWorkingMessageDone() async throws {
        let (working, channel) = working()
        let event = Self.event("e")
        working.begin(event)
        working.report("preparing a card for your approval", for: event)
        try await waitUntil { await channel.deliveries.count == 1 }
        let card = KeyedDelivery(key: "approval-card:abc", delivery: .send(chat: Self.chat, message: OutboundMessage(
            text: "Lunch", buttons: [Button(title: "Approve", token: "s1:abc:a")])))
        let final = await working.finish(event, [card])
        #expect(final == [KeyedDelivery(key: "e#working", delivery: .edit(chat: Self.chat, messageID: "m1",
                                                                           message: OutboundMessage(text: "✓ Done — see below."))),
                          card])
    }
}
