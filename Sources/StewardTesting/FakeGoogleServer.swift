import Foundation
import Hummingbird
import Logging

/// A faithful stand-in for Google on 127.0.0.1 (an ephemeral port): the OAuth consent page and token
/// endpoint, and Calendar v3 (`calendarList.list/get`, `events.list/get/insert/patch/delete`,
/// `freebusy.query`) and Gmail v1 (`FakeGoogleState+Gmail*.swift`) with request shapes checked against
/// the discovery documents. State, seeding,
/// error injection and the request log live in `state`.
///
/// Point Steward at it with `GOOGLE_AUTH_URL = authorizationURL`, `GOOGLE_TOKEN_URL = tokenURL`,
/// `GOOGLE_API_URL = apiURL`, `GOOGLE_CLIENT_ID = clientID`, `GOOGLE_CLIENT_SECRET = clientSecret`.
public final class FakeGoogleServer: Sendable {
    public let state: FakeGoogleState
    private let host: String
    private let listener = LoopbackListener()

    public init(clientID: String = "steward-test.apps.googleusercontent.com", clientSecret: String = "GOCSPX-fake-steward-secret",
                host: String = "127.0.0.1") {
        self.state = FakeGoogleState(clientID: clientID, clientSecret: clientSecret)
        self.host = host
    }

    public var clientID: String { state.clientID }
    public var clientSecret: String { state.clientSecret }

    /// Starts listening; returns once the port is bound.
    public func start() async throws {
        let router = Router()
        let state = self.state
        router.get("/o/oauth2/v2/auth") { request, _ -> Response in
            Self.response(await Self.authorize(request, state: state))
        }
        router.post("/token") { request, _ -> Response in
            var request = request
            return Self.response(await Self.token(&request, state: state))
        }
        // A stand-in for the app's OAuth callback: shows what the consent redirect delivered.
        router.get("/oauth-test/callback") { request, _ -> Response in
            let fields = Dictionary(Self.queryPairs(request.uri.query).map { ($0.name, FakeJSON.string($0.value)) }, uniquingKeysWith: { $1 })
            return Self.response(.json(.object(fields)))
        }
        for method in [HTTPRequest.Method.get, .post, .patch, .delete, .put] {
            router.on("/calendar/v3/**", method: method) { request, _ -> Response in
                var request = request
                return Self.response(await Self.calendar(&request, state: state))
            }
            router.on("/gmail/v1/**", method: method) { request, _ -> Response in
                var request = request
                return Self.response(await Self.calendar(&request, state: state))
            }
        }
        try await listener.start(name: "the fake Google server") { onServerRunning in
            Application(router: router, configuration: .init(address: .hostname(host, port: 0), serverName: nil),
                        onServerRunning: onServerRunning, logger: LoopbackListener.silentLogger("fake-google"))
        }
    }

    public func stop() async {
        await listener.stop()
    }

    /// `http://127.0.0.1:<port>`: what `GOOGLE_API_URL` should be.
    public var apiURL: URL {
        get async throws {
            URL(string: "http://\(host):\(try await listener.runningPort(name: "the fake Google server"))")!
        }
    }

    /// `GOOGLE_AUTH_URL`.
    public var authorizationURL: URL {
        get async throws { try await apiURL.appendingPathComponent("o/oauth2/v2/auth") }
    }

    /// `GOOGLE_TOKEN_URL`.
    public var tokenURL: URL {
        get async throws { try await apiURL.appendingPathComponent("token") }
    }

    /// A redirect URI on the fake itself that answers with the query it received as JSON, for tests
    /// that follow the consent redirect without running the app.
    public var callbackEchoURL: URL {
        get async throws { try await apiURL.appendingPathComponent("oauth-test/callback") }
    }

    // MARK: Handlers

    static func authorize(_ request: Request, state: FakeGoogleState) async -> FakeGoogleReply {
        switch await state.consent(query: queryPairs(request.uri.query)) {
        case .success(let consent):
            return FakeGoogleReply(status: 302, headers: [("Location", consent.redirect.absoluteString)])
        case .failure(let error):
            return .html("<html><body><h1>Access blocked: authorization error</h1><p>\(error)</p></body></html>", status: 400)
        }
    }

    static func token(_ request: inout Request, state: FakeGoogleState) async -> FakeGoogleReply {
        let body = (try? await request.collectBody(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        var basic: (String, String)?
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            basic = (String(decoded[..<colon]).removingPercentEncoding ?? "",
                     String(decoded[decoded.index(after: colon)...]).removingPercentEncoding ?? "")
        }
        return await state.token(form: queryPairs(body), contentType: request.headers[.contentType] ?? "", basicAuth: basic)
    }

    static func calendar(_ request: inout Request, state: FakeGoogleState) async -> FakeGoogleReply {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3)
            .map { $0.removingPercentEncoding ?? String($0) }
        let body = (try? await request.collectBody(upTo: 4 << 20)).map { Data(buffer: $0) } ?? Data()
        var bearer: String?
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            bearer = String(authorization.dropFirst("bearer ".count))
        }
        if request.uri.path.hasPrefix("/gmail/") {
            return await state.gmailAPI(httpMethod: request.method.rawValue, segments: segments, query: queryPairs(request.uri.query),
                                        body: body, contentType: request.headers[.contentType] ?? "", bearer: bearer)
        }
        let reply = await state.api(httpMethod: request.method.rawValue, segments: segments,
                                    query: queryPairs(request.uri.query), body: body,
                                    contentType: request.headers[.contentType] ?? "", bearer: bearer)
        // A write applied whose answer never arrives: the caller is killed while it waits.
        if await state.takeStall() {
            for _ in 0..<150 where !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
        }
        return reply
    }

    /// `a=1&b=2` decoded in order (`+` is a space in form encoding).
    static func queryPairs(_ text: String?) -> [(name: String, value: String)] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func response(_ reply: FakeGoogleReply) -> Response {
        var headers = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPFields.Element.Name(name) { headers[field] = value }
        }
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
