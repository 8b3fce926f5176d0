import ConsoleAdapter
import Foundation
import Testing

/// The byte sequences a terminal in raw mode sends for each key (xterm and the Linux console).
private enum Key {
    static let left: [UInt8] = [0x1B, 0x5B, 0x44]          // ESC [ D
    static let right: [UInt8] = [0x1B, 0x5B, 0x43]         // ESC [ C
    static let up: [UInt8] = [0x1B, 0x5B, 0x41]            // ESC [ A
    static let down: [UInt8] = [0x1B, 0x5B, 0x42]          // ESC [ B
    static let home: [UInt8] = [0x1B, 0x5B, 0x48]          // ESC [ H
    static let end: [UInt8] = [0x1B, 0x4F, 0x46]           // ESC O F (application mode)
    static let homeTilde: [UInt8] = Array("\u{1B}[1~".utf8)
    static let delete: [UInt8] = Array("\u{1B}[3~".utf8)
    static let backspace: [UInt8] = [0x7F]
    static let enter: [UInt8] = [0x0D]
    static let ctrlA: [UInt8] = [0x01], ctrlE: [UInt8] = [0x05], ctrlD: [UInt8] = [0x04]
    static let ctrlU: [UInt8] = [0x15], ctrlW: [UInt8] = [0x17]
}

private func typed(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct LineEditorTests {
    @Test func arrowsMoveTheCursorAndTypingInsertsThere() {
        var editor = LineEditor()
        let outcomes = editor.feed(typed("/tday") + Key.left + Key.left + Key.left + typed("o") + Key.enter)
        #expect(outcomes.last == .submit("/today"))
        #expect(editor.line.isEmpty)
    }

    @Test func homeEndAndTheirControlKeysJumpToTheEnds() {
        var editor = LineEditor()
        _ = editor.feed(typed("free") + Key.home + typed("/"))
        #expect(editor.line == "/free" && editor.cursor == 1)
        _ = editor.feed(Key.end + typed(" 30m") + Key.ctrlA + Key.right)
        #expect(editor.line == "/free 30m" && editor.cursor == 1)
        _ = editor.feed(Key.ctrlE)
        #expect(editor.cursor == 9)
        _ = editor.feed(Key.homeTilde)
        #expect(editor.cursor == 0)
    }

    @Test func backspaceAndDeleteRemoveOnEitherSide() {
        var editor = LineEditor()
        _ = editor.feed(typed("todayy") + Key.backspace + Key.home + Key.delete)
        #expect(editor.line == "oday")
        _ = editor.feed(Key.backspace)  // nothing before the cursor: nothing changes
        #expect(editor.line == "oday" && editor.cursor == 0)
    }

    @Test func ctrlUClearsToTheStartAndCtrlWTakesTheLastWord() {
        var editor = LineEditor()
        _ = editor.feed(typed("/book Dentist tomorrow  ") + Key.ctrlW)
        #expect(editor.line == "/book Dentist ")
        _ = editor.feed(typed("friday") + Key.left + Key.left + Key.ctrlU)
        #expect(editor.line == "ay" && editor.cursor == 0)
    }

    @Test func ctrlDQuitsOnlyOnAnEmptyLine() {
        var editor = LineEditor()
        #expect(editor.feed(Key.ctrlD) == [.quit])
        _ = editor.feed(typed("ab") + Key.home)
        #expect(editor.feed(Key.ctrlD) == [.redraw])  // deletes under the cursor instead
        #expect(editor.line == "b")
    }

    @Test func multiByteCharactersArriveAndMoveAsOne() {
        var editor = LineEditor()
        // "é" (2 bytes), "€" (3 bytes), "😀" (4 bytes), fed byte by byte as a terminal may split them.
        var outcomes: [LineEditor.Outcome] = []
        for byte in typed("é€😀") { outcomes.append(editor.feed(byte)) }
        #expect(outcomes.filter { $0 == .redraw }.count == 3)
        #expect(editor.line == "é€😀" && editor.cursor == 3)
        _ = editor.feed(Key.left + Key.backspace)
        #expect(editor.line == "é😀" && editor.cursor == 1)
        _ = editor.feed(Key.left + typed("Ж"))
        #expect(editor.line == "Жé😀")
    }

    @Test func aCombiningAccentJoinsTheLetterBeforeIt() {
        var editor = LineEditor()
        _ = editor.feed(typed("e\u{0301}"))
        #expect(editor.characters.count == 1 && editor.cursor == 1)
        _ = editor.feed(Key.backspace)
        #expect(editor.line.isEmpty)
    }

    @Test func upAndDownWalkTheHistoryAndKeepTheDraft() {
        var editor = LineEditor(history: ["/today"])
        _ = editor.feed(typed("/free") + Key.enter)
        _ = editor.feed(typed("/bo"))
        _ = editor.feed(Key.up)
        #expect(editor.line == "/free" && editor.cursor == 5)
        _ = editor.feed(Key.up)
        #expect(editor.line == "/today")
        #expect(editor.feed(Key.up) == [])  // the oldest line: stays
        _ = editor.feed(Key.down + Key.down)
        #expect(editor.line == "/bo")
        #expect(editor.feed(Key.up + Key.enter).last == .submit("/free"))
        #expect(editor.history == ["/today", "/free"])  // a repeat of the last line is kept once
    }

    @Test func unknownEscapeSequencesAndControlBytesTypeNothing() {
        var editor = LineEditor()
        _ = editor.feed(Array("\u{1B}[15~".utf8) + [0x09, 0x0C] + Array("\u{1B}x".utf8) + typed("ok"))
        #expect(editor.line == "ok")
    }
}

@Suite struct ConsoleHistoryTests {
    @Test func theFileKeepsTheLast500StorableLinesReadableOnlyByTheOwner() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = ConsoleHistory(file: directory.appendingPathComponent("console-history"))
        let lines = (1...600).map { "/free \($0)m" } + [String(repeating: "x", count: 1025),
                                                        "/connect telegram 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                                                        "my key is sk-abc123", "/today"]
        history.save(lines)
        let loaded = history.load()
        #expect(loaded.count == 500)
        #expect(loaded.first == "/free 102m")
        #expect(loaded.last == "/today")
        #expect(!loaded.contains { $0.contains("AAHdq") || $0.contains("sk-") || $0.count > 1024 })
        let mode = try FileManager.default.attributesOfItem(atPath: history.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func ordinaryLinesAreStoredAndTokenLikeOnesAreNot() {
        #expect(ConsoleHistory.isStorable("/book Dentist tomorrow 15:00 for 45m"))
        #expect(ConsoleHistory.isStorable("/accounts add ics https://example.com/calendars/team-2026-holidays.ics"))
        #expect(!ConsoleHistory.isStorable("ya29.a0AfH6SMBx"))
        #expect(!ConsoleHistory.isStorable("here: 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"))
    }
}

@Suite struct ConsoleTerminalDrawingTests {
    @Test func outputWhileTypingClearsTheLinePrintsAndDrawsItAgainWithTheCursorInPlace() {
        var editor = LineEditor()
        _ = editor.feed(Array("/free 30m".utf8) + [0x1B, 0x5B, 0x44, 0x1B, 0x5B, 0x44])  // two Lefts
        let screen = ConsoleTerminal.around(editor, printing: "Reminder: Dentist at 15:00\n\n")
        // Cleared first, so the half-typed line is not left in front of the reminder.
        #expect(screen.hasPrefix("\r\u{1B}[K" + "Reminder: Dentist at 15:00\n\n"))
        // Then the line as it was, and the cursor two characters back from its end.
        #expect(screen.hasSuffix("\r> /free 30m\u{1B}[K\u{1B}[2D"))
    }
}
