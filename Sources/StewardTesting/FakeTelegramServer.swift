import Foundation
import Hummingbird
import Logging

/// A faithful stand-in for the Telegram Bot API on 127.0.0.1 (an ephemeral port by default), written
/// from the official documentation. Routes `/bot<token>/<method>` (GET or POST; parameters in the
/// query string, a JSON body or a form-encoded body, as the real API accepts); a wrong token is 401.
/// State and the test API live in `state` (an actor); the common test calls are forwarded here.
/// A fake in its own process is driven over HTTP instead: see `FakeTelegramServer+Control.swift`.
public final class FakeTelegramServer: Sendable {
    public let state: FakeTelegramState
    private let host: String
    private let requestedPort: Int
    private let listener = LoopbackListener()

    public init(token: String = "7000000001:AAF-fake-token_for-Steward-tests", bot: FakeTelegramUser = .stewardBot,
                host: String = "127.0.0.1", port: Int = 0) {
        self.state = FakeTelegramState(token: token, bot: bot)
        self.host = host
        self.requestedPort = port
    }

    public var token: String { state.token }
    public var bot: FakeTelegramUser { state.bot }

    /// Starts listening; returns once the port is bound.
    public func start() async throws {
        await state.resume()
        try await listener.start(name: "the fake Telegram server") { [state, host, requestedPort] onServerRunning in
            Application(responder: FakeTelegramResponder(state: state),
                        configuration: .init(address: .hostname(host, port: requestedPort), serverName: nil),
                        onServerRunning: onServerRunning, logger: LoopbackListener.silentLogger("fake-telegram"))
        }
    }

    /// Stops listening and releases every waiting long poll.
    public func stop() async {
        await state.shutdown()
        await listener.stop()
    }

    /// `http://127.0.0.1:<port>`: what `TELEGRAM_API_URL` should be.
    public var baseURL: URL {
        get async throws {
            URL(string: "http://\(host):\(try await listener.runningPort(name: "the fake Telegram server"))")!
        }
    }

    public var port: Int? { get async { await listener.port } }

    // The test calls used most, forwarded to `state`.
    @discardableResult
    public func sendText(_ text: String, from user: FakeTelegramUser, in chat: FakeTelegramChat? = nil) async -> Int64 {
        await state.sendText(text, from: user, in: chat).updateID
    }

    public func sentMessages(chat chatID: Int64) async -> [FakeTelegramMessage] { await state.sentMessages(chat: chatID) }
    public func requests(method: String? = nil) async -> [FakeTelegramRequest] { await state.requests(method: method) }
    public func injectFault(_ fault: FakeTelegramFault, times: Int = 1, method: String? = nil) async {
        await state.injectFault(fault, times: times, method: method)
    }
}

public enum FakeTelegramServerError: Error, Sendable {
    case notStarted
}

/// Gives handlers a way to hang up without answering (the dropped-connection fault).
struct FakeTelegramContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let closeConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        closeConnection = { channel.close(promise: nil) }
    }
}

struct FakeTelegramResponder: HTTPResponder {
    typealias Context = FakeTelegramContext
    let state: FakeTelegramState

    func respond(to request: Request, context: FakeTelegramContext) async throws -> Response {
        // /bot<token>/<method>; tokens contain ":" so the path is split by hand.
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count == 2, parts[0] == "_fake" {
            var request = request
            let parameters = (try? await Self.parameters(of: &request)) ?? [:]
            return Self.json(await state.control(String(parts[1]), parameters: parameters))
        }
        guard parts.count == 2, parts[0].hasPrefix("bot") else { return Self.json(.notFound) }
        let method = String(parts[1])
        var request = request
        let parameters: [String: FakeJSON]
        do {
            parameters = try await Self.parameters(of: &request)
        } catch {
            let refusal = FakeTelegramResponse.error(400, "Bad Request: can't parse JSON object")
            await state.record(method, [:], status: 400)
            return Self.json(refusal)
        }
        guard parts[0].dropFirst(3) == state.token else {
            await state.record(method, parameters, status: 401)
            return Self.json(.unauthorized)
        }
        if let fault = await state.takeFault(for: method) {
            switch fault {
            case .tooManyRequests(let seconds):
                await state.record(method, parameters, status: 429)
                return Self.json(.error(429, "Too Many Requests: retry after \(seconds)", parameters: ["retry_after": .int(Int64(seconds))]))
            case .serverError(let status):
                await state.record(method, parameters, status: status)
                let text = status == 502 ? "Bad Gateway" : "Internal Server Error"
                return Self.json(.error(status, text))
            case .dropConnection:
                await state.record(method, parameters, status: 0)
                context.closeConnection()
                throw FakeTelegramServerError.notStarted
            case .delay(let duration):
                await sleepUnlessStopped(duration)
            }
        }
        return Self.json(await state.handle(method: method, parameters: parameters))
    }

    /// Sleeps in slices so stopping the server is never held up by a slow-response fault.
    private func sleepUnlessStopped(_ duration: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end, !(await state.stopped), !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(50), end - clock.now))
        }
    }

    static func json(_ response: FakeTelegramResponse) -> Response {
        Response(status: .init(code: response.status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: response.body.data)))
    }

    /// Query-string parameters, overridden by the body's (JSON object or form-encoded).
    static func parameters(of request: inout Request) async throws -> [String: FakeJSON] {
        var parameters: [String: FakeJSON] = [:]
        if let query = request.uri.query { parameters.merge(formFields(query), uniquingKeysWith: { $1 }) }
        let buffer = try await request.collectBody(upTo: 16 << 20)
        let body = Data(buffer.readableBytesView)
        guard !body.isEmpty else { return parameters }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.contains("application/x-www-form-urlencoded") {
            parameters.merge(formFields(String(decoding: body, as: UTF8.self)), uniquingKeysWith: { $1 })
        } else if contentType.contains("multipart/form-data") {
            throw FakeTelegramServerError.notStarted  // file uploads are not modelled
        } else {
            guard case .object(let object)? = FakeJSON.parse(body) else { throw FakeTelegramServerError.notStarted }
            parameters.merge(object, uniquingKeysWith: { $1 })
        }
        return parameters
    }

    static func formFields(_ text: String) -> [String: FakeJSON] {
        var fields: [String: FakeJSON] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            guard let name = parts.first.map(decode), !name.isEmpty else { continue }
            fields[name] = .string(parts.count > 1 ? decode(parts[1]) : "")
        }
        return fields
    }
}
