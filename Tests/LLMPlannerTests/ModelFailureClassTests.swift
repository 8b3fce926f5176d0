import Foundation
import LLMPlanner
import StewardHTTP
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
