import Foundation
import Logging
import StewardHTTP
import StewardTesting
@testable import LLMPlanner

/// A started fake model and a client pointed at it; stops the fake when the test's body ends.
func withFakeModel<T>(requiredKey: String? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
                      breaker: CircuitBreaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(60)),
                      timeout: Duration = .seconds(30), logger: Logger = Logger(label: "test.llm"),
                      _ body: (FakeLLMServer, ChatCompletionsClient) async throws -> T) async throws -> T {
    let server = FakeLLMServer(requiredKey: requiredKey)
    try await server.start()
    let transport = AsyncHTTPTransport()
    let endpoint = LLMEndpoint(baseURL: try await server.baseURL, apiKey: requiredKey, model: "fake-model", timeout: timeout)
    let client = ChatCompletionsClient(endpoint: endpoint, transport: transport, retry: retry, breaker: breaker, logger: logger)
    do {
        let result = try await body(server, client)
        try await transport.shutdown()
        await server.stop()
        return result
    } catch {
        try? await transport.shutdown()
        await server.stop()
        throw error
    }
}

/// Records every call the planner hands it and answers from canned data.
actor RecordingExecutor: ToolExecutor {
    private(set) var calls: [ValidatedToolCall] = []
    var mails: [MailSummary]
    var events: [EventSummary]

    init(mails: [MailSummary] = [], events: [EventSummary] = []) {
        self.mails = mails
        self.events = events
    }

    func run(_ call: ValidatedToolCall, userID: String) async throws -> ToolOutput {
        calls.append(call)
        switch call.name {
        case "mail_search", "mail_read": return .mails(mails)
        case "calendar_list_events": return .events(events)
        default: return .note("done")
        }
    }

    var names: [String] { calls.map(\.name) }
}

/// Collects log lines, to prove what is never logged.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [String] { lock.withLock { _lines } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)"
        lock.withLock { _lines.append(text) }
    }
}

let berlin = TimeZone(identifier: "Europe/Berlin")!
/// 2026-11-19 (a Thursday) 10:00 in Berlin.
let fixedNow = Date(timeIntervalSince1970: 1_795_078_800)

func plannerContext() -> PlannerContext {
    PlannerContext(now: fixedNow, timeZone: berlin,
                   settingsSummary: "hours 09:00-18:00, workdays mon-fri, buffer 15m, clock 24h",
                   connectedAccounts: ["google: ana@example.com (calendar, mail)"])
}

func call(_ id: String, _ name: String, _ arguments: String) -> FakeLLMToolCall {
    FakeLLMToolCall(id: id, name: name, arguments: arguments)
}
