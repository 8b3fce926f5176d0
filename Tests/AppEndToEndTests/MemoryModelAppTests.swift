import Foundation
@testable import StewardApp
import StewardCore
import StewardTesting
import Testing

/// The model uses memory, the whole app in this process: with a model and an embeddings model configured,
/// `/remember` embeds the fact through the endpoint's `/embeddings`, the next free-text question reaches the
/// model with the fact as quoted data, and after `/forget` it doesn't.
@Suite struct MemoryModelAppTests {
    @Test func aRememberedFactReachesTheModelUntilItIsForgotten() async throws {
        let model = FakeLLMServer()
        try await model.start()
        await model.state.setFallback(.text("After ten works for Bob."))
        var failure: (any Error)?
        do { try await Self.rememberThenForget(model) } catch { failure = error }
        await model.stop()
        if let failure { throw failure }
    }

    static func rememberThenForget(_ model: FakeLLMServer) async throws {
        try await AppWorld.run(environment: ["LLM_BASE_URL": try await model.baseURL.absoluteString,
                                             "LLM_MODEL": "fake-model", "LLM_EMBEDDINGS_MODEL": "fake-embed"]) { world in
            let app = try await world.boot()
            let saved = try await world.ask("/remember I prefer meetings after 10:00", answerNumber: 1)
            #expect(saved.text.hasPrefix("Remembered (#1): I prefer meetings after 10:00"), "\(saved.text)")
            let embedded = try #require(await model.state.embeddingRequests.first)
            #expect(embedded.status == 200 && embedded.body["model"] == .string("fake-embed")
                    && embedded.body["input"] == .string("I prefer meetings after 10:00"))
            // Reading memory from chat never calls a model: `/memory <words>` searches the words only.
            // (Message 2 is the card offering working hours from 10:00, the preference's setting.)
            let found = try await world.ask("/memory meetings", answerNumber: 3)
            #expect(found.text.contains("I prefer meetings after 10:00"), "\(found.text)")
            #expect(await model.state.embeddingRequests.count == 1)

            _ = await world.telegram.sendText("when should the meetings with Bob go", from: AppWorld.owner)
            try await waitUntil(timeout: .seconds(20)) { await model.state.requests.count >= 1 }
            try await app.settle()
            let first = await model.state.requests[0].messages.compactMap { $0["content"]?.stringValue }
            let data = try #require(first.first { $0.hasPrefix("Facts the user asked you to remember") }, "\(first)")
            #expect(data.contains(#"[#1, said by the user, "#) && data.contains(#""I prefer meetings after 10:00""#))

            let count = await world.messages().count
            _ = try await world.ask("/forget 1", answerNumber: count + 1)
            _ = await world.telegram.sendText("when should the meetings with Bob go", from: AppWorld.owner)
            try await waitUntil(timeout: .seconds(20)) { await model.state.requests.count >= 2 }
            try await app.settle()
            let second = await model.state.requests[1].messages.compactMap { $0["content"]?.stringValue }
            #expect(!second.contains { $0.hasPrefix("Facts the user asked you to remember") }, "\(second)")
        }
    }
}
