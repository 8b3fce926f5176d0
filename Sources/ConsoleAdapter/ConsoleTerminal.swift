#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The interactive console on a terminal: raw mode, the `LineEditor`, the prompt line, and output from
/// Steward that arrives while the person types (the line is cleared, the output printed, the line drawn
/// again). Used only when stdin is a terminal; a pipe or a file is read line by line as before.
public final class ConsoleTerminal: Sendable {
    public static let shared = ConsoleTerminal()
    public static let prompt = "> "

    private struct State {
        var editor = LineEditor()
        /// True between `showPrompt()` and Enter: the line is on screen and output must go around it.
        var promptVisible = false
        var active = false
        var history: ConsoleHistory?
    }
    private let state = Mutex(State())

    /// Enters raw mode and reads keys on a thread of its own; finished lines come out of the stream.
    public func lines(history: ConsoleHistory?) -> AsyncStream<String> {
        let previous = history?.load() ?? []
        state.withLock {
            $0.editor = LineEditor(history: previous)
            $0.history = history
            $0.active = true
        }
        TerminalMode.enterRaw()
        return AsyncStream { continuation in
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 256)
                reading: while true {
                    let count = read(0, &buffer, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    for byte in buffer[0..<count] {
                        switch handle(byte) {
                        case .submit(let line): continuation.yield(line)
                        case .quit: break reading
                        default: break
                        }
                    }
                }
                finish()
                continuation.finish()
            }
            thread.start()
        }
    }

    /// Draws the prompt and whatever was typed ahead while Steward was answering.
    public func showPrompt() {
        state.withLock { state in
            state.promptVisible = true
            emit(Self.drawing(state.editor))
        }
    }

    /// Prints Steward's output; when the prompt line is on screen it is cleared first and drawn again after.
    public func write(_ text: String) {
        state.withLock { state in
            guard state.active, state.promptVisible else { return emit(text) }
            emit(Self.around(state.editor, printing: text))
        }
    }

    private func handle(_ byte: UInt8) -> LineEditor.Outcome {
        state.withLock { state in
            let outcome = state.editor.feed(byte)
            switch outcome {
            case .redraw:
                if state.promptVisible { emit(Self.drawing(state.editor)) }
            case .submit:
                // The finished line stays on screen as typed; the answer prints below it.
                if state.promptVisible { emit("\r\n") }
                state.promptVisible = false
                state.history?.save(state.editor.history)
            case .quit:
                emit("\r\n")
            case .none:
                break
            }
            return outcome
        }
    }

    private func finish() {
        state.withLock { state in
            state.active = false
            state.promptVisible = false
            state.history?.save(state.editor.history)
        }
        TerminalMode.restore()
    }

    /// Output while the prompt line is on screen: clear the line, print, draw the line again as it was
    /// (the output ends with a newline, so the line comes back below it).
    public static func around(_ editor: LineEditor, printing text: String) -> String {
        "\r\u{1B}[K" + text + drawing(editor)
    }

    /// Carriage return, prompt, the line, clear to the end, then back left to the cursor. The cursor is
    /// moved by characters: right for the Latin, Cyrillic and accented text people type here; a wide (CJK)
    /// character would leave it one column off until the next redraw.
    public static func drawing(_ editor: LineEditor) -> String {
        var text = "\r" + prompt + editor.line + "\u{1B}[K"
        let back = editor.charactersAfterCursor
        if back > 0 { text += "\u{1B}[\(back)D" }
        return text
    }

    private func emit(_ text: String) { writeToStandardOutput(text) }
}

/// Straight to file descriptor 1: FileHandle and print buffer differently, and the prompt line must
/// appear before the next key is read.
private func writeToStandardOutput(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBufferPointer { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
