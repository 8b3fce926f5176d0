import Foundation
import StewardTesting
import Testing

/// The real binary with a model configured (`LLM_BASE_URL`): free text goes to the fake OpenAI-compatible
/// server, the model's tool calls read the owner's real calendar file, and a booking it proposes is a
/// card that writes only when the owner taps Approve, once.
@Suite(.serialized) struct LLMEndToEndTests {
    @Test func freeTextReadsTheCalendarThroughTheModelAndBooksOnlyOnApprove() async throws {
        let model = FakeLLMServer()
        try await model.start()
        let world = try await TelegramWorld(extraEnvironment: [
            "LLM_BASE_URL": try await model.baseURL.absoluteString, "LLM_MODEL": "fake-model"])
        let steward = try world.start()
        defer { Task { await world.finish(steward); await model.stop() } }

        var berlin = Calendar(identifier: .gregorian)
        berlin.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let tomorrow = berlin.startOfDay(for: berlin.date(byAdding: .day, value: 1, to: Date())!)
        let stamp = ISO8601DateFormatter()
        stamp.timeZone = berlin.timeZone
        let dayAfter = berlin.date(byAdding: .day, value: 1, to: tomorrow)!
        // A slow model: the chat shows a "Working on it…" message with the step under way, which then
        // becomes the answer (one message, edited in place).
        await model.state.enqueue(
            .slow(.seconds(2), .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_list_events",
                                        arguments: #"{"start":"\#(stamp.string(from: tomorrow))","end":"\#(stamp.string(from: dayAfter))"}"#)])),
            .text("Tomorrow you have the design review at 10:00."))
        // Text the built-in parser can't place (a date it could, and then the model isn't asked).
        await world.fake.sendText("hmm, anything I should prepare for?", from: TelegramWorld.owner)
        try await waitUntil {
            await world.messages(to: 100).first?.text.contains("Tomorrow you have the design review at 10:00.") == true
        }
        #expect(await world.messages(to: 100).count == 1)
        let shown = await world.fake.requests(method: "sendMessage").compactMap { $0.parameters["text"]?.stringValue }
        #expect(shown.first?.hasPrefix("Working on it…\n• looking at your calendar") == true, "\(shown)")
        let asked = await model.state.requests
        #expect(asked.allSatisfy { $0.stream }, "streamed, so steps show as they start")
        #expect(asked.count == 2)
        #expect(asked.first?.toolNames.contains("calendar_create_event") == true)
        // The tool's answer, sent back to the model, came from the owner's calendar file.
        let toolAnswer = asked.last?.messages.last { $0["role"]?.stringValue == "tool" }?["content"]?.stringValue
        #expect(toolAnswer?.contains("Design review") == true)

        let three = berlin.date(bySettingHour: 15, minute: 0, second: 0, of: tomorrow)!
        await model.state.enqueue(
            .toolCalls([FakeLLMToolCall(id: "c2", name: "calendar_create_event", arguments:
                #"{"title":"Dentist","start":"\#(stamp.string(from: three))","end":"\#(stamp.string(from: three + 2_700))"}"#)]),
            .text("I've prepared the booking for your approval."))
        await world.fake.sendText("could you sort out that dentist thing for me", from: TelegramWorld.owner)
        let sent = try await world.waitForMessages(3, to: 100, steward)
        let card = try #require(sent.first { !$0.buttons.isEmpty }, "the booking comes as a card")
        #expect(card.text.contains("Dentist"))
        #expect(sent.contains { $0.text.contains("I've prepared the booking for your approval.") })
        #expect(try world.occurrences("SUMMARY:Dentist") == 0, "nothing is written before the tap")

        let approve = try #require(card.buttons.first?.first?.callbackData)
        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        let deadline = ContinuousClock.now + .seconds(20)
        while try world.occurrences("SUMMARY:Dentist") == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)
        // A second tap is answered, and writes nothing more.
        await world.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        // The second tap stored and handled, every answer sent: a second write would have happened by now.
        try await world.waitUntilSettled(steward)
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)
        #expect(await model.state.requests.count == 4, "taps are decided without the model")
    }
}
