import Foundation
import Logging
import StewardCore

/// The live "Working on it…" message of a free-text request the model takes a while over: sent once the
/// request has run for `delay` and the model starts a step, edited as further steps start (looking at your
/// calendar, searching your mail…), and finally replaced by the answer itself, so the chat ends with one
/// message, not two.
///
/// The working message goes straight to the platform, not through the outbox: it is only a hint, and a
/// lost one costs nothing. The answer it turns into is queued and sent exactly like any other.
public final class WorkingMessages: PlanningProgress, Sendable {
    let delay: Duration
    /// Least time between two updates of one message (Telegram allows about one edit a second per chat).
    let updateInterval: Duration
    private let channels: [Platform: any DeliveryChannel]
    private let logger: Logger
    private let entries = Locked<[String: Entry]>([:])

    private struct Entry {
        var chat: ChatRef
        var started = ContinuousClock.now
        var steps: [String] = []
        /// How many of `steps` the message shows.
        var shown = 0
        var messageID: String?
        /// True while `task` sends or edits the message.
        var busy = false
        var task: Task<Void, Never>?
        var finished = false
    }

    public init(channels: [Platform: any DeliveryChannel], delay: Duration = .milliseconds(1500),
         updateInterval: Duration = .seconds(1), logger: Logger) {
        // Only platforms whose messages can be edited in place: elsewhere the steps would pile up as messages.
        self.channels = channels.filter { $0.value.capabilities.editsMessages }
        self.delay = delay
        self.updateInterval = updateInterval
        self.logger = logger
    }

    /// Private chats only (a group gets its details in the DM), and not Slack slash commands, which are
    /// answered in place, visible to the asker alone.
    private func shows(_ event: InboundEvent) -> Bool {
        channels[event.chat.platform] != nil && event.chat.isPrivate && event.replyRoute == nil
    }

    public func begin(_ event: InboundEvent) {
        guard shows(event) else { return }
        entries.withLock { $0[event.id] = Entry(chat: event.chat) }
    }

    public func report(_ step: String, for event: InboundEvent) {
        guard shows(event) else { return }
        entries.withLock { entries in
            guard var entry = entries[event.id], !entry.finished, !entry.steps.contains(step) else { return }
            entry.steps.append(step)
            if !entry.busy, ContinuousClock.now - entry.started >= delay {
                // Made under the lock, so `finish` always finds the task it has to wait for.
                entry.busy = true
                entry.task = TaskPlace.task { await self.update(event.id) }
            }
            entries[event.id] = entry
        }
    }

    /// The answer to `event`, with its first plain message turned into an edit of the working message
    /// (or, when the answer is only a card, the working message marked done). Waits for an update in flight.
    func finish(_ event: InboundEvent, _ deliveries: [KeyedDelivery]) async -> [KeyedDelivery] {
        guard let task = entries.withLock({ entries -> Task<Void, Never>?? in
            guard entries[event.id] != nil else { return nil }
            entries[event.id]?.finished = true
            return .some(entries[event.id]?.task)
        }) else { return deliveries }
        await task?.value
        guard let messageID = entries.withLock({ $0.removeValue(forKey: event.id)?.messageID }) else { return deliveries }
        return Self.answer(deliveries, replacing: messageID, in: event.chat, eventID: event.id)
    }

    static func answer(_ deliveries: [KeyedDelivery], replacing messageID: String, in chat: ChatRef,
                       eventID: String) -> [KeyedDelivery] {
        var result = deliveries
        for (index, keyed) in result.enumerated() {
            guard case .send(let target, let message) = keyed.delivery, target == chat, message.buttons.isEmpty,
                  message.replyRoute == nil else { continue }
            result[index] = KeyedDelivery(key: keyed.key, delivery: .edit(chat: chat, messageID: messageID, message: message))
            return result
        }
        let done = OutboundMessage(text: "✓ Done — see below.")
        return [KeyedDelivery(key: "\(eventID)#working", delivery: .edit(chat: chat, messageID: messageID, message: done))]
            + result
    }

    static func text(_ steps: [String]) -> String {
        "Working on it…\n" + steps.map { "• " + $0 }.joined(separator: "\n")
    }

    /// Sends the message, then edits it while new steps come in, at most once per `updateInterval`.
    private func update(_ eventID: String) async {
        while true {
            let next = entries.withLock { entries -> (ChatRef, String, String?)? in
                guard var entry = entries[eventID], !entry.finished, entry.shown < entry.steps.count else {
                    entries[eventID]?.busy = false
                    return nil
                }
                entry.shown = entry.steps.count
                entries[eventID] = entry
                return (entry.chat, Self.text(entry.steps), entry.messageID)
            }
            guard let (chat, text, messageID) = next, let channel = channels[chat.platform] else { return }
            let message = OutboundMessage(text: text)
            do {
                let sent = try await channel.deliver(messageID.map { .edit(chat: chat, messageID: $0, message: message) }
                                                     ?? .send(chat: chat, message: message))
                if messageID == nil { entries.withLock { $0[eventID]?.messageID = sent } }
            } catch {
                logger.debug("the working message could not be shown", metadata: ["error": "\(error)"])
                entries.withLock { $0[eventID]?.busy = false }
                return
            }
            try? await Task.sleep(for: updateInterval)
        }
    }
}
