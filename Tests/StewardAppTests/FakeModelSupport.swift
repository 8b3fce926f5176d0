import Foundation
import LLMPlanner
import StewardHTTP
import StewardTesting

/// Runs `body` against a fresh fake model server over a real HTTP transport; both are shut down
/// afterwards, also when `body` fails.
func withFakeModel(_ body: (FakeLLMServer, AsyncHTTPTransport) async throws -> Void) async throws {
    let server = FakeLLMServer()
    try await server.start()
    let transport = AsyncHTTPTransport()
    var failure: (any Error)?
    do { try await body(server, transport) } catch { failure = error }
    try await transport.shutdown()
    await server.stop()
    if let failure { throw failure }
}

/// The chat-completions client the app builds, pointed at the fake model, with quick retries.
func fakeModelClient(_ server: FakeLLMServer, _ transport: AsyncHTTPTransport,
                     attempts: Int = 2) async throws -> ChatCompletionsClient {
    ChatCompletionsClient(
        endpoint: LLMEndpoint(baseURL: try await server.baseURL, apiKey: nil, model: "fake-model", timeout: .seconds(20)),
        transport: transport, retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)))
}
