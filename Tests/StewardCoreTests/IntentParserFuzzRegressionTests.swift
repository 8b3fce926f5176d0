import Foundation
@testable import StewardCore
import Testing

/// Inputs the fuzzer found (Fuzz/findings), kept so they stay fixed.
@Suite struct IntentParserFuzzRegressionTests {
    let parser = IntentParser()
    let context = ParseContext(now: Date(timeIntervalSince1970: 1_780_000_000),
                               timeZone: TimeZone(identifier: "Asia/Kolkata")!)

    /// Fuzz/findings/intent-move-command-superlinear.bin without its shape byte: a `/move` command.
    static let finding = "tomorrow's 10:00 to 11:30"

    /// The finding repeated to about 40,000 characters, as a command and as a message: both are answered
    /// with one line saying the text is too long, and nothing is read from it.
    @Test(.timeLimit(.minutes(1)))
    func aCommandOrMessageOverTheLimitIsAnsweredWithOneLine() {
        let arguments = String(repeating: Self.finding + " ", count: 1_540)
        #expect(arguments.count > 38_000)
        let command = parser.parse(.command(name: "move", arguments: arguments), context: context)
        #expect(command == .usage(message: "That command is too long for me to read (over 4,096 characters), "
                                  + "so I did nothing."))
        let message = parser.parse(.message("move " + arguments), context: context)
        #expect(message == .usage(message: "That message is too long for me to read (over 4,096 characters); "
                                  + "please send a shorter one."))
    }

    /// Just under the limit the text is still read: the cap is about size, not about the words.
    @Test func aCommandAtTheLimitIsStillRead() {
        let arguments = Self.finding + String(repeating: " ", count: IntentParser.maximumCharacters - Self.finding.count)
        #expect(arguments.count == IntentParser.maximumCharacters)
        guard case .move(let event, to: .instant(let target), notify: true) =
            parser.parse(.command(name: "move", arguments: arguments), context: context) else {
            Issue.record("not read as a move")
            return
        }
        #expect(event.title == nil)
        let clock = LocalClock(zone: context.timeZone)
        #expect(clock.local(target).minute == 11 * 60 + 30)
    }

    /// Below the size cap the grammar itself must be linear: the event's description was tried as a time
    /// at every length, each try copying the whole rest of the message, so 16,384 copies of the finding
    /// (490 KB, read without the cap) took minutes; a time phrase now has at most 16 words.
    @Test(.timeLimit(.minutes(1)))
    func theMoveGrammarReadsAHugeRepeatedRequestInOnePass() {
        let arguments = String(repeating: Self.finding, count: 16_384)
        let intent = parser.eventChangeCommand("move", arguments, context: context)
        guard case .move(let event, to: .instant(let target), notify: true) = intent else {
            Issue.record("not read as a move: \(String(describing: intent).prefix(120))")
            return
        }
        let clock = LocalClock(zone: context.timeZone)
        #expect(clock.local(target).minute == 11 * 60 + 30)
        #expect(event.title?.hasPrefix("to 11:30tomorrow's 10:00 to") == true)
        let message = parser.message("move " + String(repeating: Self.finding + " ", count: 16_384), context: context)
        guard case .move = message else {
            Issue.record("message not read as a move: \(String(describing: message).prefix(120))")
            return
        }
    }
}
