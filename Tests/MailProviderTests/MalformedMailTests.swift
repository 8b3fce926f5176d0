import Foundation
import Testing
import StewardCore
@testable import MailProvider

/// Hostile and broken input: the parser must return a message for anything, never trap or hang.
@Suite struct MalformedMailTests {
    @Test func hand_picked_broken_messages_parse() {
        let inputs: [String] = [
            "",
            "\r\n",
            "Subject: no body",
            "From:\r\nTo: ,,,<>\r\nSubject: =?utf-8?B?\r\n\r\n",
            "Subject: =?utf-8?Q?=E2=82?= half a character\n\nx",
            "Subject: =?x-unknown?B?AAAA?= =?utf-8?X?abc?=\n\n",
            "Content-Type: multipart/mixed\n\nno boundary",
            "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n",
            "Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n--b",
            "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n====\n--b",
            "Content-Transfer-Encoding: quoted-printable\n\n=\n=Z=\n=4",
            "Content-Type: text/html\n\n<script>never closed",
            "Content-Type: text/html\n\n<<<>>>&#99999999999;&#xZZ;&;&amp<!--",
            "Content-Type: text/plain; charset*0*=utf-8''%E2; charset*1*=%82\n\nx",
            "Date: Mon, 99 Foo 99999999999999999999 99:99:99 +9999\n\n",
            "From: \"unterminated <a@b\n\n",
            "From: (((((\n\n",
        ]
        for input in inputs {
            let message = MailParser.parse(Array(input.utf8))
            _ = message.snippet
        }
    }

    @Test func nesting_deeper_than_any_client_stops_without_exhausting_the_stack() {
        var text = ""
        for level in 0..<5_000 {
            text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\n\n--b\(level)\n"
        }
        text += "Content-Type: text/plain\n\ndeep"
        let message = MailParser.parse(Array(text.utf8))
        #expect(message.body.isEmpty)
    }

    @Test func hundreds_of_mutated_corpus_messages_parse() throws {
        let corpus = try MailCorpus.load()
        var random = SeededGenerator(seed: 0x6D61_696C)
        let seeds = try corpus.messages.map { try Data(contentsOf: MailCorpus.directory.appendingPathComponent($0.file)) }
        let splices: [[UInt8]] = ["=?", "?=", "\r\n", "\n\n", "--", "=", "<", "&#", ";", "\"", "boundary=", "=?utf-8?B?"]
            .map { Array($0.utf8) }
        var parsed = 0
        for round in 0..<600 {
            var bytes = [UInt8](seeds[round % seeds.count])
            for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &random)))
                case 2: bytes.insert(contentsOf: splices.randomElement(using: &random)!, at: position)
                case 3: bytes = Array(bytes[..<position])
                default:
                    let end = min(bytes.count, position + Int.random(in: 1...200, using: &random))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            let message = MailParser.parse(bytes)
            _ = MailTriage().triage(message)
            parsed += 1
        }
        #expect(parsed == 600)
    }
}

/// SplitMix64, so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
