import Foundation
import Logging
import StewardHTTP
import StewardTesting
import Testing
@testable import LLMPlanner

@Suite("Chat completions client against the fake OpenAI-compatible server")
struct ChatCompletionsClientTests {
    let tools = ToolRegistry.steward.definitions

    @Test func nonStreamingAnswerWithSeveralToolCallsAndUsage() async throws {
        try await withFakeModel(requiredKey: "sk-test-secret-123") { server, client in
            await server.state.enqueue(.toolCalls([
                call("call_a", "calendar_list_events", #"{"start":"2026-11-19T00:00:00+01:00","end":"2026-11-20T00:00:00+01:00"}"#),
                call("call_b", "mail_search", #"{"query":"Sarah"}"#),
            ]))
            let response = try await client.complete(ChatRequest(messages: [.system("s"), .user("hi")], tools: tools, toolChoice: .auto))
            #expect(response.toolCalls.map(\.name) == ["calendar_list_events", "mail_search"])
            #expect(response.toolCalls.map(\.id) == ["call_a", "call_b"])
            #expect(response.finishReason == "tool_calls")
            #expect((response.usage?.promptTokens ?? 0) > 0)
            let request = try #require(await server.state.requests.first)
            #expect(request.status == 200)
            #expect(request.problem == nil)
            #expect(request.authorization == "Bearer sk-test-secret-123")
            #expect(request.body["model"]?.stringValue == "fake-model")
            #expect(request.body["tool_choice"]?.stringValue == "auto")
            #expect(request.toolNames.count == 11)
            #expect(request.body["stream"] == nil)
        }
    }

    @Test func noAuthorizationHeaderWithoutAKey() async throws {
        try await withFakeModel(requiredKey: nil) { server, client in
            await server.state.enqueue(.text("hello"))
            let response = try await client.complete(ChatRequest(messages: [.user("hi")]))
            #expect(response.content == "hello")
            let request = try #require(await server.state.requests.first)
            #expect(request.authorization == nil)
            #expect(request.body["tools"] == nil)
            #expect(request.body["tool_choice"] == nil)
        }
    }

    @Test func streamingAssemblesTextFragmentedArgumentsAndUsage() async throws {
        try await withFakeModel { server, client in
            let arguments = #"{"to":["sarah@example.com"],"subject":"Thursday","body":"The meeting moves to 15:00."}"#
            await server.state.enqueue(
                .toolCalls([call("call_1", "mail_search", #"{"query":"from:sarah thursday"}"#),
                            call("call_2", "mail_draft_reply", arguments)]),
                .text("Drafted a reply to Sarah; it waits for your approval."))
            let seen = ProgressLog()
            let first = try await client.stream(ChatRequest(messages: [.user("email Sarah")], tools: tools)) { seen.add($0) }
            #expect(first.toolCalls.map(\.name) == ["mail_search", "mail_draft_reply"])
            #expect(first.toolCalls[1].arguments == arguments)
            #expect(first.toolCalls[0].id == "call_1")
            #expect((first.usage?.promptTokens ?? 0) > 100)
            #expect(seen.all.last?.toolNames == ["mail_search", "mail_draft_reply"])

            let second = try await client.stream(ChatRequest(messages: [.user("again")])) { seen.add($0) }
            #expect(second.content == "Drafted a reply to Sarah; it waits for your approval.")
            #expect((second.usage?.completionTokens ?? 0) > 0)
            #expect(seen.all.map(\.text).contains("Drafted a re"))  // progress came in pieces
            let requests = await server.state.requests
            #expect(requests.allSatisfy { $0.stream && $0.problem == nil })
            #expect(requests[0].body["stream_options"]?["include_usage"] == .bool(true))
        }
    }

    @Test func rateLimitIsRetriedAfterRetryAfterAndServerErrorsWithBackoff() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.rateLimited(retryAfterSeconds: 1), .serverError(status: 503), .text("ok"))
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await client.complete(ChatRequest(messages: [.user("hi")]))
            #expect(response.content == "ok")
            #expect(clock.now - started >= .seconds(1))  // Retry-After was honoured
            #expect(await server.state.requests.map(\.status) == [429, 503, 200])
        }
    }

    @Test func breakerOpensAfterRepeatedFailuresAndThenFailsFast() async throws {
        let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(60))
        try await withFakeModel(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)),
                                breaker: breaker) { server, client in
            await server.state.setFallback(.serverError(status: 500))
            for _ in 0..<2 {
                await #expect(throws: LLMError(.unavailable, "")) { try await client.complete(ChatRequest(messages: [.user("hi")])) }
            }
            let before = await server.state.requests.count
            #expect(before == 4)
            let error = await #expect(throws: LLMError.self) { try await client.complete(ChatRequest(messages: [.user("hi")])) }
            #expect(error?.shouldFallBack == true)
            #expect(await server.state.requests.count == before)  // no request while open
            #expect(await breaker.state == .open)
        }
    }

    @Test func aRejectedRequestIsNotRetriedAndNeverShowsTheKey() async throws {
        let capture = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in capture }
        let server = FakeLLMServer(requiredKey: "sk-right-key-0000")
        try await server.start()
        let transport = AsyncHTTPTransport()
        let client = ChatCompletionsClient(
            endpoint: LLMEndpoint(baseURL: try await server.baseURL, apiKey: "sk-wrong-key-9999", model: "fake-model"),
            transport: transport, logger: logger)
        let error = await #expect(throws: LLMError.self) { try await client.complete(ChatRequest(messages: [.user("hi")])) }
        #expect(error?.kind == .rejected(status: 401))
        #expect(!"\(error.map { "\($0)" } ?? "")".contains("sk-wrong-key-9999"))
        #expect(await server.state.requests.count == 1)
        // And when the server is gone entirely (the pooled connection closed first, so the fake stops at once):
        try await transport.shutdown()
        var endpoint = client.endpoint
        endpoint.timeout = .seconds(2)  // however the dead port behaves (refused or silent), the answer is "unavailable"
        await server.stop()
        let fresh = AsyncHTTPTransport()
        let downClient = ChatCompletionsClient(endpoint: endpoint, transport: fresh, retry: .none, logger: logger)
        let down = await #expect(throws: LLMError.self) { try await downClient.complete(ChatRequest(messages: [.user("hi")])) }
        #expect(down?.kind == .unavailable)
        #expect(!"\(down.map { "\($0)" } ?? "")".contains("sk-wrong-key-9999"))
        #expect(!capture.lines.isEmpty)
        #expect(capture.lines.allSatisfy { !$0.contains("sk-wrong-key-9999") })
        try await fresh.shutdown()
    }

    @Test func aSlowModelTimesOut() async throws {
        try await withFakeModel(retry: .none, timeout: .milliseconds(500)) { server, client in
            await server.state.enqueue(.slow(.seconds(3), .text("late")))
            let error = await #expect(throws: LLMError.self) { try await client.complete(ChatRequest(messages: [.user("hi")])) }
            #expect(error?.kind == .unavailable)
        }
    }

    @Test func theFakeRefusesUndocumentedShapes() async throws {
        try await withFakeModel { server, _ in
            let url = try await server.baseURL.appendingPathComponent("chat/completions")
            let transport = AsyncHTTPTransport()
            defer { Task { try? await transport.shutdown() } }
            let bodies = [
                #"{"model":"m","messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]}"#,
                #"{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}"#,
                #"{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"auto"}"#,
                #"{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"x"}]}"#,
                #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"bad name","parameters":{"type":"object"}}}]}"#,
            ]
            for body in bodies {
                let response = try await transport.send(HTTPRequestSpec(method: "POST", url: url,
                    headers: [(name: "Content-Type", value: "application/json")], body: Data(body.utf8)))
                #expect(response.status == 400, "\(body)")
            }
            #expect(await server.state.requests.allSatisfy { $0.problem != nil })
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StreamProgress] = []
    func add(_ progress: StreamProgress) { lock.withLock { items.append(progress) } }
    var all: [StreamProgress] { lock.withLock { items } }
}
