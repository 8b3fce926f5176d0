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

    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Reads stdin line by line without blocking the concurrency pool.
public enum ConsoleInput {
    public static func lines() -> AsyncStream<String> {
        AsyncStream { continuation in
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
}
