import Foundation
import LLMPlanner
import StewardHTTP
import StewardTesting
import Testing

/// The model endpoint's answers fall into the pipeline's shared classes.
@Suite("ChatCompletionsClient.classify: model failures in the shared classes")
struct ModelFailureClassTests {
    @Test func a429CarriesRetryAfterAndOtherStatusesHaveTheirClass() {
        let limited = ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 429, headers: [(name: "Retry-After", value: "3")]))
        #expect(limited == .rateLimited)
        #expect(limited?.retryAfter == .seconds(3))
        #expect(ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 200)) == nil)
        #expect(ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 503)) == .unavailable)
        #expect(ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 408)) == .timeout)
        #expect(ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 401)) == .unauthorized)
        #expect(ChatCompletionsClient.classify(response: HTTPResponseSpec(status: 400)) == .rejected)
        #expect(ChatCompletionsClient.classify(HTTPTransportError.timeout()) == .timeout)
        #expect(ChatCompletionsClient.classify(HTTPTransportError.connection()) == .network)
    }
}

@Suite("ChatCompletionsClient: the breaker hears only a model that is down")
struct ModelBreakerClassTests {
    @Test func rateLimitsFallBackButNeverOpenTheBreaker() async throws {
        let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(60))
        try await withFakeModel(retry: .none, breaker: breaker) { server, client in
            await server.state.enqueue(.rateLimited(retryAfterSeconds: 1), .rateLimited(retryAfterSeconds: 1), .rateLimited(retryAfterSeconds: 1),
                                       .text("ok"))
            for _ in 0..<3 {
                let error = await #expect(throws: LLMError.self) { try await client.complete(ChatRequest(messages: [.user("hi")])) }
                #expect(error?.shouldFallBack == true, "the parser takes over for this message")
            }
            // The model is up and only asked for a slower pace: the next message goes to it again.
            let answer = try await client.complete(ChatRequest(messages: [.user("hi")]))
            #expect(answer.content == "ok")
            #expect(await breaker.state == .closed)
            #expect(await server.state.requests.count == 4)
        }
    }
}
