import Foundation
import StewardCore
import Synchronization

/// Prints deliveries to the terminal (a card's choices numbered, see `ConsoleRenderer`).
/// Output is flushed after every message, so piped sessions see each answer as it happens.
public final class ConsoleChannel: DeliveryChannel, Sendable {
    public var platform: Platform { .console }
    /// A terminal: printed lines stay as they are, choices are numbered, and the session ends when the
    /// person leaves, so it is never a home chat for later pushes.
    public static let capabilities = ChannelCapabilities(
        opensPrivateChats: false, editsMessages: false, choices: .numbered, ephemeralReplies: false,
        maxMessageLength: .max, showsTyping: false, keepsHomeChat: false)
    public var capabilities: ChannelCapabilities { Self.capabilities }
    private let counter = Mutex<Int>(0)
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = ConsoleChannel.standardOutput) {
        self.write = write
    }

    public func deliver(_ delivery: Delivery) async throws -> String? {
        write(ConsoleRenderer.render(delivery) + "\n\n")
        return counter.withLock { value in
            value += 1
            return "console-\(value)"
        }
    }

    /// Through `ConsoleTerminal`, which prints around the line being typed when the console is interactive.
    public static let standardOutput: @Sendable (String) -> Void = { text in
        ConsoleTerminal.shared.write(text)
    }
}

/// Reads stdin line by line without blocking the concurrency pool. On a terminal the line is edited in raw
/// mode with history (`ConsoleTerminal`); a pipe or a file is read as it comes.
public enum ConsoleInput {
    public static func lines(history: ConsoleHistory? = nil) -> AsyncStream<String> {
        if isInteractive { return ConsoleTerminal.shared.lines(history: history) }
        return AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) {
                    continuation.yield(line)
                }
                continuation.finish()
            }
            thread.start()
        }
    }

    /// True when a person is typing (stdin is a terminal), so a prompt is worth showing.
    public static var isInteractive: Bool { isatty(0) != 0 }

    /// Shows the prompt: on a terminal with the line typed so far, otherwise nothing (a script has no use for it).
    public static func prompt() {
        if isInteractive { ConsoleTerminal.shared.showPrompt() }
    }
}
