import Foundation
import StewardCore

/// Lets a slash command's answer ride in the HTTP acknowledgement when it is ready in time, instead of
/// a later POST to the command's `response_url`.
///
/// The HTTP receiver opens a slot for the command's `response_url` *before* storing the command, then
/// waits for an answer until its deadline. The delivery channel offers every in-place answer to the slot
/// first. Guarantees:
/// - each answer leaves exactly one way: in the acknowledgement (`offer` returned true) or by the
///   delivery channel's own POST (`offer` returned false); the choice is one step of this actor, so a
///   deadline passing at the same moment cannot lose the answer or send it twice;
/// - only the first answer can ride in the acknowledgement; later ones are POSTed;
/// - a slot lives only while its request waits: every path out of `answer(for:until:)` closes it.
public actor SlackCommandReplies {
    private enum Slot {
        /// Stored, nobody waiting yet.
        case open
        /// Answered before the receiver began to wait.
        case answered(SlackResponseMessage)
        case waiting(CheckedContinuation<SlackResponseMessage?, Never>)
    }

    private var slots: [String: Slot] = [:]

    public init() {}

    /// Begins accepting an answer for `route`.
    func open(_ route: String) { slots[route] = .open }

    /// Gives up on `route` (the command could not be stored).
    func close(_ route: String) {
        if case .waiting(let continuation) = slots.removeValue(forKey: route) { continuation.resume(returning: nil) }
    }

    /// The first answer offered for `route`, or nil when none came before `deadline`.
    func answer(for route: String, until deadline: ContinuousClock.Instant) async -> SlackResponseMessage? {
        switch slots[route] {
        case .answered(let message):
            slots[route] = nil
            return message
        case .open:
            return await withCheckedContinuation { continuation in
                slots[route] = .waiting(continuation)
                TaskPlace.task {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    await self.close(route)
                }
            }
        case .waiting, nil:
            return nil
        }
    }

    /// Hands `message` to the acknowledgement of `route` if one is still open; false when the caller
    /// must send it itself.
    public func offer(_ message: SlackResponseMessage, to route: String) -> Bool {
        switch slots[route] {
        case .open:
            slots[route] = .answered(message)
            return true
        case .waiting(let continuation):
            slots[route] = nil
            continuation.resume(returning: message)
            return true
        case .answered, nil:
            return false
        }
    }
}
