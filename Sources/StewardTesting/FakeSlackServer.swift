import Foundation
import Hummingbird
import Logging

/// A faithful stand-in for the Slack Web API on 127.0.0.1 (an ephemeral port by default), written from
/// Slack's method documentation: `POST /api/<method>` with a JSON or form body, the token in
/// `Authorization: Bearer` (or a `token` parameter); refusals are HTTP 200 `{"ok": false, "error": …}`,
/// rate limits HTTP 429 with `Retry-After`. State and the test API live in `state`.
public final class FakeSlackServer: Sendable {
    public let state: FakeSlackState
    /// Slash commands' `response_url`s: `{responseURLBase}/<id>`.
    public let responses = FakeSlackResponses()
    private let host: String
    private let runtime = FakeSlackRuntime()

    public init(botToken: String = "xoxb-fake-steward-bot-token", appToken: String = "xapp-1-fake-steward-app-token",
                host: String = "127.0.0.1") {
        self.state = FakeSlackState(botToken: botToken, appToken: appToken)
        self.host = host
    }

    /// Starts listening; returns once the port is bound.
    public func start() async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        let state = self.state
        router.post("/api/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            var request = request
            return await Self.respond(method: method, request: &request, state: state)
        }
        let responses = self.responses
        router.post("/response/:id") { request, context -> Response in
            let body = (try? await request.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            let (status, answer) = await responses.handle(
                id: context.parameters.get("id") ?? "", contentType: request.headers[.contentType] ?? "",
                hasAuthorization: request.headers[.authorization] != nil, body: body)
            return Self.json(answer, status: status)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "fake-slack", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var bound: Int?
        for await port in ports { bound = port }
        guard let bound, bound > 0 else {
            task.cancel()
            _ = await task.result
            throw FakeSlackServerError.couldNotStart
        }
        await runtime.started(port: bound, task: task)
    }

    public func stop() async {
        guard let task = await runtime.stopped() else { return }
        task.cancel()
        _ = await task.result
    }

    /// `http://127.0.0.1:<port>/response`: give it to `FakeSlackSigner(responseURLBase:)` so slash
    /// commands' `response_url`s point at this fake.
    public var responseURLBase: URL {
        get async throws {
            guard let port = await runtime.port else { throw FakeSlackServerError.notStarted }
            return URL(string: "http://\(host):\(port)/response")!
        }
    }

    /// `http://127.0.0.1:<port>/api`: what `SLACK_API_URL` should be.
    public var apiURL: URL {
        get async throws {
            guard let port = await runtime.port else { throw FakeSlackServerError.notStarted }
            return URL(string: "http://\(host):\(port)/api")!
        }
    }

    public var botToken: String { state.botToken }
    public var appToken: String { state.appToken }
    public var botUserID: String { state.botUserID }

    static func respond(method: String, request: inout Request, state: FakeSlackState) async -> Response {
        var parameters: [String: FakeJSON] = [:]
        if let query = request.uri.query { parameters.merge(FakeTelegramResponder.formFields(query), uniquingKeysWith: { $1 }) }
        let body = (try? await request.collectBody(upTo: 16 << 20)).map { Data($0.readableBytesView) } ?? Data()
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if !body.isEmpty {
            if contentType.contains("application/json") {
                guard case .object(let object)? = FakeJSON.parse(body) else {
                    await state.record(method, [:], token: nil, status: 200, error: "invalid_json")
                    return json(["ok": false, "error": "invalid_json"])
                }
                parameters.merge(object, uniquingKeysWith: { $1 })
            } else {
                parameters.merge(FakeTelegramResponder.formFields(String(decoding: body, as: UTF8.self)), uniquingKeysWith: { $1 })
            }
        }
        var token = parameters["token"]?.stringValue
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            token = String(authorization.dropFirst("bearer ".count))
        }
        parameters["token"] = nil  // never kept in the record
        // apps.connections.open takes the app token only in the Authorization header (as a POST
        // parameter, Slack's docs say, it is an error).
        if method == "apps.connections.open", request.headers[.authorization] == nil {
            await state.record(method, parameters, token: nil, status: 200, error: "not_authed")
            return json(["ok": false, "error": "not_authed"])
        }
        if let fault = await state.takeFault(for: method) {
            switch fault {
            case .rateLimited(let seconds):
                await state.record(method, parameters, token: token, status: 429, error: "ratelimited")
                return json(["ok": false, "error": "ratelimited"], status: 429, headers: [.retryAfter: String(seconds)])
            case .serverError(let status):
                await state.record(method, parameters, token: token, status: status, error: nil)
                return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: "upstream failure")))
            }
        }
        return json(await state.handle(method: method, parameters: parameters, token: token))
    }

    static func json(_ value: FakeJSON, status: Int = 200, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.data)))
    }
}

public enum FakeSlackServerError: Error, Sendable {
    case couldNotStart, notStarted
}

private actor FakeSlackRuntime {
    private(set) var port: Int?
    private var task: Task<Void, any Error>?

    func started(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    func stopped() -> Task<Void, any Error>? {
        defer { task = nil }
        return task
    }
}
