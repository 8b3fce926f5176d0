import Foundation
@testable import SlackAdapter
import StewardCore
import Testing

/// The bodies Steward writes itself for `chat.postMessage` and `chat.update` say exactly what
/// `JSONEncoder` would: the same value back when decoded, the same JSON object when parsed.
@Suite struct SlackRequestJSONTests {
    static let awkward = "Quote \" backslash \\ slash / newline\n tab\t return\r bell\u{7} nul\u{0} unit\u{1F} del\u{7F} "
        + "émoji ☕️👩‍👩‍👧 <@U1> &amp; *bold*"

    func encoderJSON<T: Encodable>(_ value: T) throws -> NSDictionary {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try #require(try JSONSerialization.jsonObject(with: encoder.encode(value)) as? NSDictionary)
    }

    func parsed(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    var card: OutboundMessage {
        OutboundMessage(title: "Title \"quoted\"", text: Self.awkward + "\nsecond line",
                        buttons: [Button(title: "Approve", token: "s1:a\"b", style: .primary),
                                  Button(title: "Delete", token: "s1:x", style: .danger),
                                  Button(title: "Send", token: "s1:y", confirmation: "Send to \"Bob\"?\nReally")])
    }

    @Test func aPostedCardDecodesToTheSameRequest() throws {
        let request = try SlackRenderer().postMessage(channel: "D0ALICE", message: card)
        #expect(try JSONDecoder().decode(SlackPostMessageRequest.self, from: request.jsonBody) == request)
        #expect(try parsed(request.jsonBody) == encoderJSON(request))
        let plain = SlackPostMessageRequest(channel: "C1", text: Self.awkward, blocks: nil)
        #expect(try JSONDecoder().decode(SlackPostMessageRequest.self, from: plain.jsonBody) == plain)
        #expect(try parsed(plain.jsonBody) == encoderJSON(plain))
    }

    @Test func anEditDecodesToTheSameRequestAndKeepsAnEmptyBlockList() throws {
        let update = try SlackRenderer().update(channel: "D0ALICE", ts: "1700000000.000101", message: card)
        #expect(try JSONDecoder().decode(SlackUpdateRequest.self, from: update.jsonBody) == update)
        #expect(try parsed(update.jsonBody) == encoderJSON(update))
        let cleared = SlackUpdateRequest(channel: "D1", ts: "1.2", text: "Approved", blocks: [])
        #expect(try parsed(cleared.jsonBody) == encoderJSON(cleared))
        #expect(String(decoding: cleared.jsonBody, as: UTF8.self).contains(#""blocks":[]"#))
    }
}
