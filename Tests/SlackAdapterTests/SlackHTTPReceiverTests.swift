import Foundation
import Hummingbird
import HummingbirdTesting
@testable import SlackAdapter
import StewardCore
import StewardServer
import StewardTesting
import Testing

/// The three endpoints as Slack calls them, through the real Hummingbird routes.
@Suite struct SlackHTTPReceiverTests {
    let signer = FakeSlackSigner(signingSecret: Slack.secret)

    func withRoutes(_ body: @Sendable (InMemoryInboundSink, any TestClientProtocol) async throws -> Void) async throws {
        let sink = InMemoryInboundSink()
        let receiver = SlackHTTPReceiver(verifier: SlackSignatureVerifier(signingSecret: Slack.secret),
                                         normalizer: SlackNormalizer(botUserID: Slack.bot), sink: sink)
        let router = Router()
        router.addSlackRoutes(receiver: receiver)
        try await Application(router: router).test(.router) { client in try await body(sink, client) }
    }

    func send(_ request: FakeSlackSignedRequest, _ client: any TestClientProtocol,
              tamper: ((inout HTTPFields) -> Void)? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        for header in request.headers { headers[.init(header.name)!] = header.value }
        tamper?(&headers)
        return try await client.execute(uri: request.path, method: .post, headers: headers, body: ByteBuffer(bytes: request.body))
    }

    @Test func urlVerificationAnswersTheChallenge() async throws {
        try await withRoutes { sink, client in
            let response = try await send(signer.event(FakeSlackSigner.urlVerification(challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")), client)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
            #expect(await sink.acceptCalls == 0)
        }
    }

    @Test func forgedAndStaleRequestsAre401AndStoreNothing() async throws {
        try await withRoutes { sink, client in
            let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "Ev1")
            let forged = try await send(signer.event(dm), client) { $0[.init("X-Slack-Signature")!] = "v0=" + String(repeating: "a", count: 64) }
            #expect(forged.status == .unauthorized)
            let unsigned = try await send(signer.event(dm), client) { $0[.init("X-Slack-Signature")!] = nil }
            #expect(unsigned.status == .unauthorized)
            let stale = try await send(signer.event(dm, at: Date().addingTimeInterval(-600)), client)
            #expect(stale.status == .unauthorized)
            let otherSecret = try await send(FakeSlackSigner(signingSecret: "nope").event(dm), client)
            #expect(otherSecret.status == .unauthorized)
            let command = try await send(signer.command(FakeSlackSigner.slashCommand("/steward", text: "today", user: Slack.alice,
                                                                                    channel: "D0ALICE", triggerID: "1"),
                                                        at: Date().addingTimeInterval(400)), client)
            #expect(command.status == .unauthorized)
            let tap = try await send(signer.interaction(FakeSlackSigner.blockActions(value: "s1:x:a", user: Slack.alice, channel: "D0ALICE",
                                                                                      messageTS: "1.2", triggerID: "3")), client) {
                $0[.init("X-Slack-Request-Timestamp")!] = "1531420618"
            }
            #expect(tap.status == .unauthorized)
            #expect(await sink.acceptCalls == 0)
        }
    }

    @Test func aRetriedEventIsStoredOnce() async throws {
        try await withRoutes { sink, client in
            let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "Ev77")
            let status1 = try await send(signer.event(dm), client).status
            #expect(status1 == .ok)
            let status2 = try await send(signer.event(dm, retryNum: 1), client).status
            #expect(status2 == .ok)
            let status3 = try await send(signer.event(dm, retryNum: 2), client).status
            #expect(status3 == .ok)
            #expect(await sink.events.map(\.id) == ["slack:event:Ev77"])
            #expect(await sink.duplicates == 2)
        }
    }

    @Test func storageFailureIs500SoSlackRetries() async throws {
        try await withRoutes { sink, client in
            await sink.failNext(1)
            let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "Ev88")
            let status4 = try await send(signer.event(dm), client).status
            #expect(status4 == .internalServerError)
            let status5 = try await send(signer.event(dm, retryNum: 1), client).status
            #expect(status5 == .ok)
            #expect(await sink.events.count == 1)
        }
    }

    @Test func slashCommandIsStoredThenAckedEphemerally() async throws {
        try await withRoutes { sink, client in
            let response = try await send(signer.command(FakeSlackSigner.slashCommand("/steward", text: "free 30m tomorrow", user: Slack.alice,
                                                                                     channel: "D0ALICE", triggerID: "123.456")), client)
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
            #expect(json?["response_type"] == "ephemeral")
            #expect(json?["text"] == SlackHTTPReceiver.workingOnIt)
            #expect(await sink.events.first?.kind == .command(name: "free", arguments: "30m tomorrow"))
        }
    }

    @Test func blockActionsTapIsStored() async throws {
        try await withRoutes { sink, client in
            let payload = FakeSlackSigner.blockActions(value: "s1:ap-9:a", user: Slack.alice, channel: "D0ALICE",
                                                       messageTS: "1700000000.000300", triggerID: "t-1")
            let status6 = try await send(signer.interaction(payload), client).status
            #expect(status6 == .ok)
            let event = try #require(await sink.events.first)
            #expect(event.kind == .action(token: "s1:ap-9:a"))
            #expect(event.sourceMessageID == "1700000000.000300")
            let garbage = signer.sign(path: "/slack/interactive", contentType: "application/x-www-form-urlencoded", body: Data("payload=%7B".utf8))
            let status7 = try await send(garbage, client).status
            #expect(status7 == .badRequest)
        }
    }
}

/// Header names reach the receiver in whatever case the server hands them (Hummingbird: lowercased).
@Suite struct SlackReceiverHeaderCaseTests {
    let signer = FakeSlackSigner(signingSecret: Slack.secret)

    func receiver(_ sink: InMemoryInboundSink) -> SlackHTTPReceiver {
        SlackHTTPReceiver(verifier: SlackSignatureVerifier(signingSecret: Slack.secret),
                          normalizer: SlackNormalizer(botUserID: Slack.bot), sink: sink)
    }

    @Test func anEventIsStoredWhateverTheCaseOfItsHeaderNames() async throws {
        let sink = InMemoryInboundSink()
        let cases: [(String) -> String] = [{ $0 }, { $0.lowercased() }, { $0.uppercased() }]
        for (index, spell) in cases.enumerated() {
            let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "EvCase\(index)")
            let request = signer.event(dm, retryNum: 1)
            let headers = Dictionary(request.headers.map { (spell($0.name), $0.value) }, uniquingKeysWith: { $1 })
            #expect(await receiver(sink).events(headers: headers, body: request.body).status == 200)
        }
        #expect(await sink.acceptCalls == 3)
    }

    @Test func aForgedSignatureUnderALowercasedNameIsRefused() async throws {
        let sink = InMemoryInboundSink()
        let request = signer.event(FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "EvForged"))
        var headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        headers["x-slack-signature"] = "v0=" + String(repeating: "a", count: 64)
        #expect(await receiver(sink).events(headers: headers, body: request.body).status == 401)
        #expect(await sink.acceptCalls == 0)
    }
}
