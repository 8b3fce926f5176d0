import Foundation
import StewardCore

/// Shows "typing…" in a chat whose answer has taken over a second, once per answer.
///
/// One watcher serves every answer in progress. A timer per answer (a task sleeping a second, cancelled
/// when the answer is quicker, as almost all are) would cost a task and a live timer per message: a
/// cancelled `Task.sleep` keeps both until its deadline, which under load is thousands of them.
final class SlowAnswers: Sendable {
    /// How long an answer may take before the chat shows "typing…".
    let threshold: Duration
    private let presence: [Platform: any ChatPresence]
    private let state = Locked(State())
    private let started = Signal()

    private struct State {
        var next = 0
        var running: [Int: (chat: ChatRef, since: ContinuousClock.Instant)] = [:]
    }

    init(presence: [Platform: any ChatPresence], threshold: Duration = .seconds(1)) {
        self.presence = presence
        self.threshold = threshold
    }

    /// Records an answer starting in `chat`; pass the result to `end` when it is done.
    func begin(in chat: ChatRef) -> Int? {
        guard presence[chat.platform] != nil else { return nil }
        let (token, wasIdle) = state.withLock { state in
            state.next += 1
            let wasIdle = state.running.isEmpty
            state.running[state.next] = (chat, .now)
            return (state.next, wasIdle)
        }
        if wasIdle { started.fire() }
        return token
    }

    func end(_ token: Int?) {
        guard let token else { return }
        state.withLock { _ = $0.running.removeValue(forKey: token) }
    }

    /// Watches until cancelled: idle while no answer runs, otherwise looking a few times a second.
    func watch() async {
        let clock = ContinuousClock()
        for await _ in started.stream {
            while !Task.isCancelled {
                let now = clock.now
                let (slow, remaining) = state.withLock { state in
                    let slow = state.running.filter { now - $0.value.since >= threshold }
                    for token in slow.keys { state.running.removeValue(forKey: token) }
                    return (Array(slow.values), state.running.count)
                }
                for answer in slow { await presence[answer.chat.platform]?.showTyping(in: answer.chat) }
                if remaining == 0 { break }
                try? await Task.sleep(for: threshold / 4)
            }
            if Task.isCancelled { return }
        }
    }
}
