import Foundation

/// The console's line editor as a pure state machine: bytes from a raw-mode terminal go in, an outcome
/// comes out (redraw the line, a finished line, quit). No package on this machine offers line editing
/// (no libedit/readline bindings, nothing in the package lists), so it is written by hand; keeping it free
/// of I/O lets the tests drive it with the exact byte sequences a terminal sends.
public struct LineEditor: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// Nothing visible changed (an escape sequence or a multi-byte character is still arriving).
        case none
        /// The line or the cursor changed: draw it again.
        case redraw
        /// Enter: the finished line (also added to the history).
        case submit(String)
        /// Ctrl-D on an empty line.
        case quit
    }

    /// The characters on the line; a `Character` is what moves and deletes as one (UTF-8 aware).
    public private(set) var characters: [Character] = []
    /// Position in `characters`, 0...count.
    public private(set) var cursor = 0
    public private(set) var history: [String]
    /// `history.count` means the line being typed; lower values point into the history.
    private var historyIndex: Int
    private var draft: [Character] = []
    private var escape: [UInt8] = []
    private var utf8: [UInt8] = []

    public init(history: [String] = []) {
        self.history = history
        historyIndex = history.count
    }

    public var line: String { String(characters) }
    /// Characters between the cursor and the end of the line, so a redraw can put the cursor back.
    public var charactersAfterCursor: Int { characters.count - cursor }

    public mutating func feed(_ bytes: [UInt8]) -> [Outcome] {
        bytes.map { feed($0) }.filter { $0 != .none }
    }

    public mutating func feed(_ byte: UInt8) -> Outcome {
        if !escape.isEmpty { return continueEscape(byte) }
        if !utf8.isEmpty || byte >= 0x80 { return continueUTF8(byte) }
        switch byte {
        case 0x1B: escape = [byte]; return .none
        case 0x0D, 0x0A: return submit()
        case 0x01: return move(to: 0)                              // Ctrl-A
        case 0x05: return move(to: characters.count)               // Ctrl-E
        case 0x02: return move(to: cursor - 1)                     // Ctrl-B
        case 0x06: return move(to: cursor + 1)                     // Ctrl-F
        case 0x7F, 0x08: return deleteBackward()                   // Backspace
        case 0x04: return characters.isEmpty ? .quit : deleteForward()  // Ctrl-D
        case 0x15:                                                 // Ctrl-U: delete to the start
            characters.removeSubrange(0..<cursor)
            cursor = 0
            return .redraw
        case 0x0B:                                                 // Ctrl-K: delete to the end
            characters.removeSubrange(cursor...)
            return .redraw
        case 0x17: return deleteWordBackward()                     // Ctrl-W
        case 0x10: return previousHistory()                        // Ctrl-P
        case 0x0E: return nextHistory()                            // Ctrl-N
        case 0x20...0x7E: return insert(Character(Unicode.Scalar(byte)))
        default: return .none  // other control bytes (Tab, Ctrl-L …) are ignored rather than typed
        }
    }

    // MARK: Escape sequences (CSI `ESC [ …` and SS3 `ESC O …`, as xterm, VT100 and the Linux console send)

    private mutating func continueEscape(_ byte: UInt8) -> Outcome {
        escape.append(byte)
        if escape.count == 2 {
            // Only CSI and SS3 carry keys we know; anything else (Alt-x) is dropped whole.
            if byte != UInt8(ascii: "[") && byte != UInt8(ascii: "O") { escape = [] }
            return .none
        }
        // Parameters are digits and ';'; the first other byte ends the sequence.
        if (0x30...0x3F).contains(byte) && escape[1] == UInt8(ascii: "[") {
            if escape.count > 16 { escape = [] }  // a runaway sequence is dropped, not kept forever
            return .none
        }
        let parameters = String(decoding: escape.dropFirst(2).dropLast(), as: UTF8.self)
        escape = []
        switch (Character(Unicode.Scalar(byte)), parameters) {
        case ("A", _): return previousHistory()
        case ("B", _): return nextHistory()
        case ("C", _): return move(to: cursor + 1)
        case ("D", _): return move(to: cursor - 1)
        case ("H", _), ("~", "1"), ("~", "7"): return move(to: 0)
        case ("F", _), ("~", "4"), ("~", "8"): return move(to: characters.count)
        case ("~", "3"): return deleteForward()
        default: return .none
        }
    }

    private mutating func continueUTF8(_ byte: UInt8) -> Outcome {
        utf8.append(byte)
        let lead = utf8[0]
        let expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard utf8.count >= expected else { return .none }
        let bytes = utf8
        utf8 = []
        // A stray continuation byte or a broken sequence is dropped, not typed as U+FFFD.
        guard expected > 1, let text = String(validating: bytes, as: UTF8.self), let scalar = text.unicodeScalars.first
        else { return .none }
        return insert(Character(scalar))
    }

    // MARK: Editing

    private mutating func insert(_ character: Character) -> Outcome {
        // A combining mark joins the character before it, so the cursor keeps moving by what is seen.
        if cursor > 0, character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) {
            let joined = String(characters[cursor - 1]) + String(character)
            if joined.count == 1 {
                characters[cursor - 1] = Character(joined)
                return .redraw
            }
        }
        characters.insert(character, at: cursor)
        cursor += 1
        return .redraw
    }

    private mutating func move(to position: Int) -> Outcome {
        let clamped = min(max(position, 0), characters.count)
        guard clamped != cursor else { return .none }
        cursor = clamped
        return .redraw
    }

    private mutating func deleteBackward() -> Outcome {
        guard cursor > 0 else { return .none }
        characters.remove(at: cursor - 1)
        cursor -= 1
        return .redraw
    }

    private mutating func deleteForward() -> Outcome {
        guard cursor < characters.count else { return .none }
        characters.remove(at: cursor)
        return .redraw
    }

    /// Ctrl-W as in a shell: the spaces before the cursor, then the word before them.
    private mutating func deleteWordBackward() -> Outcome {
        var start = cursor
        while start > 0, characters[start - 1].isWhitespace { start -= 1 }
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        guard start < cursor else { return .none }
        characters.removeSubrange(start..<cursor)
        cursor = start
        return .redraw
    }

    private mutating func submit() -> Outcome {
        let text = line
        if !text.trimmingCharacters(in: .whitespaces).isEmpty, history.last != text { history.append(text) }
        characters = []
        cursor = 0
        draft = []
        historyIndex = history.count
        return .submit(text)
    }

    // MARK: History

    private mutating func previousHistory() -> Outcome {
        guard historyIndex > 0 else { return .none }
        if historyIndex == history.count { draft = characters }
        historyIndex -= 1
        show(Array(history[historyIndex]))
        return .redraw
    }

    private mutating func nextHistory() -> Outcome {
        guard historyIndex < history.count else { return .none }
        historyIndex += 1
        show(historyIndex == history.count ? draft : Array(history[historyIndex]))
        return .redraw
    }

    private mutating func show(_ line: [Character]) {
        characters = line
        cursor = line.count
    }
}
