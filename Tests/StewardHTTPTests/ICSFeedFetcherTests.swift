import Foundation
import Hummingbird
import HummingbirdTesting
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// A calendar server whose answers a test scripts: each request to `/<name>.ics` takes the next scripted
/// answer for that name (then 200 with the feed), and every request is recorded.
private actor FeedServer {
    struct Answer: Sendable {
        var status: Int
        var retryAfter: String?
    }

    struct Seen: Sendable {
        var name: String
        var ifNoneMatch: String?
    }

    static let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    static let etag = "\"v1\""

    private var scripts: [String: [Answer]] = [:]
    private var always: [String: Answer] = [:]
    private(set) var seen: [Seen] = []

    func script(_ name: String, _ answers: [Answer]) { scripts[name] = answers }
    func alwaysAnswer(_ name: String, _ answer: Answer) { always[name] = answer }
    func count(_ name: String) -> Int { seen.filter { $0.name == name }.count }

    func answer(name: String, ifNoneMatch: String?) -> Response {
        seen.append(Seen(name: name, ifNoneMatch: ifNoneMatch))
        var next = always[name]
        if next == nil, var queue = scripts[name], !queue.isEmpty {
            next = queue.removeFirst()
            scripts[name] = queue
        }
        if let next {
            var headers: HTTPFields = [:]
            if let retryAfter = next.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: next.status), headers: headers)
        }
        if ifNoneMatch == Self.etag { return Response(status: .notModified, headers: [.eTag: Self.etag]) }
        return Response(status: .ok, headers: [.eTag: Self.etag, .contentType: "text/calendar"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: Self.body)))
    }

    /// Runs `body` with the server live on a local port.
    static func run(_ body: @escaping @Sendable (FeedServer, Int) async throws -> Void) async throws {
        let server = FeedServer()
        let router = Router()
        router.get(":name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return await server.answer(name: name, ifNoneMatch: request.headers[.ifNoneMatch])
        }
        try await Application(router: router).test(.live) { client in
            try await body(server, try #require(client.port))
        }
    }
}

private actor Waits {
    private(set) var values: [Duration] = []
    func append(_ wait: Duration) { values.append(wait) }
}

@Suite("ICS feeds on the remote-call pipeline: retries, a breaker per host, the feed's own answer")
struct ICSFeedFetcherTests {
    @Test func aFeedThatFailsOnceIsAskedAgainAfterTheServersWait() async throws {
        try await FeedServer.run { server, port in
            await server.script("team.ics", [.init(status: 429, retryAfter: "2"), .init(status: 500)])
            let waits = Waits()
            let transport = AsyncHTTPTransport()
            let fetcher = ICSFeedFetcher(transport: transport,
                                         policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(200), maxDelay: .seconds(1)),
                                         sleep: { await waits.append($0) })
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/team.ics"))
            let answer = try await fetcher.get(url, etag: nil)
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self) == FeedServer.body)
            #expect(answer.etag == FeedServer.etag)
            #expect(await server.count("team.ics") == 3, "two failures, then the feed")
            let slept = await waits.values
            #expect(slept.first == .seconds(2), "Retry-After first")
            #expect(slept.count == 2 && slept[1] <= .milliseconds(400), "then jitter under the second ceiling")
            try await transport.shutdown()
        }
    }

    @Test func aFeedThatIsGoneOrRefusedIsAskedOnceAndItsAnswerComesBack() async throws {
        try await FeedServer.run { server, port in
            await server.alwaysAnswer("gone.ics", .init(status: 404))
            await server.alwaysAnswer("reset.ics", .init(status: 403))
            let waits = Waits()
            let transport = AsyncHTTPTransport()
            let fetcher = ICSFeedFetcher(transport: transport, sleep: { await waits.append($0) })
            let gone = try await fetcher.get(try #require(URL(string: "http://127.0.0.1:\(port)/gone.ics")), etag: nil)
            let reset = try await fetcher.get(try #require(URL(string: "http://127.0.0.1:\(port)/reset.ics")), etag: nil)
            #expect(gone.status == 404 && gone.body.isEmpty)
            #expect(reset.status == 403)
            #expect(await server.count("gone.ics") == 1)
            #expect(await server.count("reset.ics") == 1)
            #expect(await waits.values.isEmpty)
            #expect(await fetcher.breakerState(host: "127.0.0.1") == .closed, "a refusal says nothing about the server's health")
            try await transport.shutdown()
        }
    }

    @Test func aHostThatKeepsFailingIsLeftAloneWhileOtherHostsAreStillAsked() async throws {
        try await FeedServer.run { server, port in
            await server.alwaysAnswer("down.ics", .init(status: 502))
            let clock = ManualClock()
            let transport = AsyncHTTPTransport()
            let fetcher = ICSFeedFetcher(transport: transport, policy: .none, failureThreshold: 2, coolDown: .seconds(60),
                                         clock: clock)
            let down = try #require(URL(string: "http://127.0.0.1:\(port)/down.ics"))
            let up = try #require(URL(string: "http://127.0.0.1:\(port)/up.ics"))
            #expect(try await fetcher.get(down, etag: nil).status == 502)
            #expect(try await fetcher.get(down, etag: nil).status == 502)
            #expect(await fetcher.breakerState(host: "127.0.0.1") == .open)

            let error = await #expect(throws: CalendarError.self) { _ = try await fetcher.get(up, etag: nil) }
            #expect(error?.message == "it failed 2 times in a row, so Steward asks it again within a minute")
            #expect(await server.count("up.ics") == 0, "an open breaker sends nothing to that host")

            let otherHost = try #require(URL(string: "http://localhost:\(port)/up.ics"))
            #expect(try await fetcher.get(otherHost, etag: nil).status == 200, "another host has its own breaker")

            clock.advance(by: .seconds(60))
            #expect(try await fetcher.get(up, etag: nil).status == 200, "after the cool-down one trial goes through")
            #expect(await fetcher.breakerState(host: "127.0.0.1") == .closed)
            try await transport.shutdown()
        }
    }

    @Test func theLastETagIsSentAndAnUnchangedFeedComesBackWithoutABody() async throws {
        try await FeedServer.run { server, port in
            let transport = AsyncHTTPTransport()
            let fetcher = ICSFeedFetcher(transport: transport)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/team.ics"))
            let first = try await fetcher.get(url, etag: nil)
            let second = try await fetcher.get(url, etag: first.etag)
            #expect(second.status == 304 && second.body.isEmpty)
            #expect(await server.seen.map(\.ifNoneMatch) == [nil, FeedServer.etag])
            try await transport.shutdown()
        }
    }

    @Test func feedFailuresFallIntoTheSharedClasses() {
        #expect(ICSFeedFetcher.classify(HTTPTransportError.timeout()) == .timeout)
        #expect(ICSFeedFetcher.classify(HTTPTransportError.connection()) == .network)
        #expect(ICSFeedFetcher.classify(CancellationError()) == nil)
    }
}
