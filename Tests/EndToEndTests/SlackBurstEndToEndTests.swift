import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// A burst on the Events API with the real binary: 1,000 signed DMs from 100 people, 10 % of them
/// re-sent as Slack's retries (same `event_id`, `X-Slack-Retry-Num: 1`, `X-Slack-Retry-Reason:
/// http_timeout`), 8 requests in flight at a time. What people and Slack would notice: every request
/// answered 200 within Slack's 3 seconds (so Slack has no reason to retry), and every DM answered
/// exactly once. 100 DMs spread the replies, so Slack's 1 message/s per channel costs about 10 s.
@Suite(.serialized) struct SlackBurstEndToEndTests {
    static let users = (0..<100).map { "U\(2000 + $0)" }
    static let events = 1000
    static let inFlight = 8

    /// One request of the burst: the `index`th event, or Slack's retry of it.
    struct Delivery {
        var index: Int
        var isRetry: Bool
        var user: String { SlackBurstEndToEndTests.users[index % SlackBurstEndToEndTests.users.count] }
        var channel: String { "D" + user.dropFirst() }
    }

    /// Every event once, in order; every tenth event again as a retry, a few requests after the original
    /// (so the two are often in flight together, as when Slack gave up waiting on the first).
    static func schedule() -> [Delivery] {
        var deliveries = (0..<events).map { Delivery(index: $0, isRetry: false) }
        for index in stride(from: 0, to: events, by: 10).reversed() {
            deliveries.insert(Delivery(index: index, isRetry: true), at: min(deliveries.count, index + 1 + index % 7))
        }
        return deliveries
    }

    @Test(.timeLimit(.minutes(2))) func aThousandEventsWithRetriesAreAckedInTimeAndAnsweredOnce() async throws {
        let began = ContinuousClock.now
        let fake = FakeSlackServer()
        try await fake.start()
        for user in Self.users { await fake.state.addUser(user) }
        let workspace = try makeWorkspace()
        let port = try freeLoopbackPort()
        let signer = FakeSlackSigner(signingSecret: SlackEndToEndTests.secret)
        let steward = try StewardProcess(environment: [
            "SLACK_BOT_TOKEN": fake.botToken, "SLACK_API_URL": try await fake.apiURL.absoluteString,
            "SLACK_SIGNING_SECRET": SlackEndToEndTests.secret, "STEWARD_HTTP_PORT": "\(port)",
            "STEWARD_ALLOWED_USERS": Self.users.map { "slack:\($0)" }.joined(separator: ","),
            "STEWARD_LOG_LEVEL": "warning",
        ], directory: workspace)
        defer {
            steward.kill9()
            Task { await fake.stop() }
            try? FileManager.default.removeItem(at: workspace)
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = Self.inFlight
        configuration.timeoutIntervalForRequest = 30
        let session = URLSession(configuration: configuration)
        let post: @Sendable (FakeSlackSignedRequest) async throws -> Int = { request in
            var urlRequest = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(request.path)")!)
            urlRequest.httpMethod = "POST"
            urlRequest.httpBody = request.body
            for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
            let (_, response) = try await session.data(for: urlRequest)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        try await waitUntil { (try? await post(signer.event(FakeSlackSigner.urlVerification(challenge: "c")))) == 200 }

        // Signed up front (each with the time it is sent, well inside the 5 minutes), then 8 at a time.
        let requests = Self.schedule().map { delivery in
            signer.event(FakeSlackSigner.directMessage("help", from: delivery.user, channel: delivery.channel,
                                                       eventID: "EvBurst\(delivery.index)"),
                         retryNum: delivery.isRetry ? 1 : nil)
        }
        let burstStarted = ContinuousClock.now
        // Each of 8 workers takes the next request as soon as its previous one is answered.
        let answered = try await withThrowingTaskGroup(of: [(status: Int, seconds: Double)].self) { group in
            for worker in 0..<Self.inFlight {
                group.addTask {
                    var mine: [(status: Int, seconds: Double)] = []
                    for index in stride(from: worker, to: requests.count, by: Self.inFlight) {
                        let started = ContinuousClock.now
                        let status = try await post(requests[index])
                        let elapsed = ContinuousClock.now - started
                        mine.append((status, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let burst = ContinuousClock.now - burstStarted
        #expect(answered.count == 1100)
        #expect(answered.allSatisfy { $0.status == 200 }, "statuses: \(Set(answered.map(\.status)))")
        let slowest = answered.map(\.seconds).max() ?? 0
        #expect(slowest < 3, "slowest acknowledgement \(slowest) s")

        // Every DM answered exactly once: 10 replies in each of the 100 DMs, 1,000 in all.
        func replies() async -> [String: Int] {
            var counts: [String: Int] = [:]
            for message in await fake.state.allMessages() { counts[message.channel, default: 0] += 1 }
            return counts
        }
        do {
            try await waitUntil(timeout: .seconds(90)) { await replies().values.reduce(0, +) >= Self.events }
        } catch {
            throw ProcessFailure("only \(await replies().values.reduce(0, +)) replies; stderr: \(steward.stderr.suffix(2000))")
        }
        // Everything stored was answered and sent: a duplicate would be among the replies by now.
        try await MetricsProbe(environment: ["STEWARD_HTTP_PORT": "\(port)"]).waitForDrain()
        let counts = await replies()
        #expect(counts.count == Self.users.count)
        #expect(counts.values.allSatisfy { $0 == Self.events / Self.users.count }, "replies per DM: \(Set(counts.values))")
        let posts = await fake.state.requests(method: "chat.postMessage")
        #expect(posts.filter { $0.error == nil && $0.status == 200 }.count == Self.events)
        let total = ContinuousClock.now - began
        print("Slack burst: 1,100 requests acknowledged in \(burst) (slowest \(String(format: "%.3f", slowest)) s); "
              + "1,000 replies, whole test \(total)")
    }
}
