import Foundation
@testable import StewardRuntime
import StewardCore
import StewardTesting
import Testing

/// Records every "typing…" a chat was shown.
final class RecordingPresence: ChatPresence, @unchecked Sendable {
    private let shown = Locked<[ChatRef]>([])
    var chats: [ChatRef] { shown.withLock { $0 } }
    func showTyping(in chat: ChatRef) async { shown.withLock { $0.append(chat) } }
}

@Suite struct SlowAnswersTests {
    let quickChat = ChatRef(platform: .telegram, chatID: "1", isPrivate: true)
    let slowChat = ChatRef(platform: .telegram, chatID: "2", isPrivate: true)

    /// A slow answer shows "typing…" once, in its own chat; a quick one shows nothing.
    @Test func onlyASlowAnswerShowsTypingAndOnlyOnce() async throws {
        let presence = RecordingPresence()
        let answers = SlowAnswers(presence: [.telegram: presence], threshold: .milliseconds(200))
        let watcher = Task { await answers.watch() }
        defer { watcher.cancel() }

        // The quick answer ends at once, far inside the threshold whatever the machine's load.
        let quick = answers.begin(in: quickChat)
        answers.end(quick)
        let slow = answers.begin(in: slowChat)
        try await waitUntil(timeout: .seconds(30)) { !presence.chats.isEmpty }
        #expect(presence.chats == [slowChat])

        // Its notice shown, the slow answer is no longer watched (though it still runs): the watcher went idle,
        // and a new slow answer, begun now, wakes it.
        let later = answers.begin(in: quickChat)
        try await waitUntil(timeout: .seconds(30)) { presence.chats.count >= 2 }
        // By the time the later answer showed, the slow one had run well past the threshold again. The watcher,
        // stopped and finished, can add nothing more: still the one notice for it.
        watcher.cancel()
        await watcher.value
        answers.end(slow)
        answers.end(later)
        #expect(presence.chats == [slowChat, quickChat])
    }

    /// A platform without a typing indicator is not watched at all.
    @Test func aPlatformWithoutPresenceIsNotTracked() {
        let answers = SlowAnswers(presence: [:])
        #expect(answers.begin(in: quickChat) == nil)
    }
}
