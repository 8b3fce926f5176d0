import Foundation
import Testing

/// `steward run --console` on a pseudo-terminal, typed at as a person would: keys arrive as the byte
/// sequences a terminal sends (ESC [ D is Left), and nothing is echoed but what Steward draws itself.
@Suite(.serialized) struct ConsoleLineEditingEndToEndTests {
    private static let left = "\u{1B}[D", up = "\u{1B}[A", ctrlE = "\u{05}", ctrlD = "\u{04}"
    private static let helpAnswer = "Here's what I can do:"

    private func console(in workspace: URL) throws -> TerminalSession {
        try TerminalSession(["run", "--console"],
                            environment: ["STEWARD_DATA_DIR": workspace.appendingPathComponent("data").path,
                                          "STEWARD_TIMEZONE": "Europe/Berlin"],
                            directory: workspace)
    }

    /// The first prompt is drawn once raw mode is on; keys typed before it would be flushed.
    private static func waitForPrompt(_ session: TerminalSession) async throws {
        try await session.waitFor("Ctrl-D quits.")
        try await session.waitFor("> ", after: end(of: "Ctrl-D quits.", in: session.screen))
    }

    private static func end(of text: String, in screen: String) -> Int {
        guard let range = screen.range(of: text, options: .backwards) else { return 0 }
        return screen.distance(from: screen.startIndex, to: range.upperBound)
    }

    @Test func aLineEditedWithArrowsIsAnsweredAndUpBringsItBackEvenAfterARestart() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }

        let session = try console(in: workspace)
        try await Self.waitForPrompt(session)
        // "/hlp", two Lefts put the cursor after "/h", "e" goes there, Ctrl-E to the end, Enter.
        var offset = session.screen.count
        session.type("/hlp" + Self.left + Self.left + "e" + Self.ctrlE)
        let first = try await session.waitFor(Self.helpAnswer, after: offset)
        #expect(first.contains("> /help"))  // the line as edited, drawn again by Steward
        #expect(!first.contains("Unknown"))

        // Up brings back "/help"; Enter sends it again.
        offset = session.screen.count
        session.type(Self.up)
        let again = try await session.waitFor(Self.helpAnswer, after: offset)
        #expect(again.contains("> /help"))

        // Ctrl-D on the empty line (once the prompt is back) quits.
        try await session.waitFor("Approve.", after: offset)
        try await session.waitFor("> ", after: Self.end(of: "Approve.", in: session.screen))
        session.type(Self.ctrlD)
        #expect(try await session.exitStatus() == 0)

        let file = workspace.appendingPathComponent("data/console-history")
        #expect(try String(contentsOf: file, encoding: .utf8) == "/help\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A new session finds the line in the history file.
        let next = try console(in: workspace)
        try await Self.waitForPrompt(next)
        offset = next.screen.count
        next.type(Self.up)
        let restored = try await next.waitFor(Self.helpAnswer, after: offset)
        #expect(restored.contains("> /help"))
        next.type(Self.ctrlD)
        #expect(try await next.exitStatus() == 0)
    }
}
