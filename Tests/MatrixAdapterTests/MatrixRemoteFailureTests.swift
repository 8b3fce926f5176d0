import Foundation
import MatrixAdapter
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// A homeserver that answers from a script, in order, and records what it was asked (method and path), so a
/// test sees how often one event was really tried and that every try carried the same txnId.
private final class ScriptedHomeserver: HTTPTransport {
    enum Answer: Sendable {
        case json(Int, String)
        case noAnswer(HTTPTransportError)
    }

    private let state: Locked<(script: [Answer], asked: [String])>

    init(_ script: [Answer]) { state = Locked((script, [])) }

    var asked: [String] { state.withLock { $0.asked } }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        let answer = state.withLock { state -> Answer in
            state.asked.append("\(request.method) \(request.url.path)")
            // The last answer repeats: "always rate-limited" is a one-line script.
            return state.script.count > 1 ? state.script.removeFirst() : state.script[0]
        }
        switch answer {
        case .json(let status, let body):
            return HTTPResponseSpec(status: status, headers: [(name: "Content-Type", value: "application/json")], body: Data(body.utf8))
        case .noAnswer(let error):
            throw error
        }
    }
}

private let homeserver = URL(string: "http://127.0.0.1:8448")!
private let room = "!room:example.org"
private let limited = ScriptedHomeserver.Answer.json(429, #"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":40}"#)

/// What the client throws for one scripted answer to `whoami`, in the pipeline's classes.
private func failure(for answer: ScriptedHomeserver.Answer) async -> RemoteFailure? {
    let client = HTTPMatrixClient(homeserver: homeserver, accessToken: "tok", transport: ScriptedHomeserver([answer]))
    do {
        _ = try await client.whoami()
        return nil
    } catch {
        return MatrixError.classify(error)
    }
}

private func channel(_ server: ScriptedHomeserver, retry: RetryPolicy = MatrixDeliveryChannel.rateLimitPolicy) -> MatrixDeliveryChannel {
    MatrixDeliveryChannel(client: HTTPMatrixClient(homeserver: homeserver, accessToken: "tok", transport: server),
                          state: InMemoryStateRepository(), identity: MatrixIdentity(userID: "@steward:example.org"),
                          retry: retry)
}

private let hello = Delivery.send(chat: ChatRef(platform: .matrix, chatID: room, isPrivate: true),
                                  message: OutboundMessage(text: "hello"))

@Suite("Matrix errors on the remote-call pipeline")
struct MatrixRemoteFailureTests {
    @Test func aRateLimitCarriesTheHomeserversWait() async throws {
        let failure = try #require(await failure(for: .json(429, #"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2500}"#)))
        #expect(failure == .rateLimited)
        #expect(failure.retryAfter == .milliseconds(2500))
        #expect(failure.isRetryable)
    }

    @Test func refusedTokensAndForbiddenRoomsArePermanent() async throws {
        let token = try #require(await failure(for: .json(401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}"#)))
        #expect(token == .unauthorized && !token.isRetryable)
        let forbidden = try #require(await failure(for: .json(403, #"{"errcode":"M_FORBIDDEN","error":"not in room"}"#)))
        #expect(!forbidden.isRetryable && !forbidden.meansServiceDown)
        let missing = try #require(await failure(for: .json(404, #"{"errcode":"M_NOT_FOUND","error":"no such room"}"#)))
        #expect(missing == .notFound)
    }

    @Test func serverErrorsTimeoutsAndRefusedConnectionsAreTransient() async throws {
        let server = try #require(await failure(for: .json(502, "<html>Bad gateway</html>")))
        #expect(server == .unavailable && server.isRetryable)
        let timeout = try #require(await failure(for: .noAnswer(.timeout("no answer in 20 s"))))
        #expect(timeout == .timeout && timeout.isRetryable)
        let refused = try #require(await failure(for: .noAnswer(.connection("connection refused"))))
        #expect(refused == .network && refused.isRetryable)
        #expect(MatrixError.classify(CancellationError()) == nil, "only the homeserver's failures are classified")
    }

    @Test func aRateLimitedSendWaitsTheServersWaitAndPostsTheEventOnce() async throws {
        let server = ScriptedHomeserver([limited, limited, .json(200, #"{"event_id":"$sent"}"#)])
        let started = ContinuousClock.now
        let id = try await channel(server).deliver(hello, key: "evt-1#0", resumingAfter: 0)
        #expect(id == "$sent")
        let asked = server.asked
        #expect(asked.count == 3)
        #expect(Set(asked).count == 1, "every try is the same PUT with the same txnId: \(asked)")
        #expect(ContinuousClock.now - started >= .milliseconds(80), "each retry waited the homeserver's 40 ms")
    }

    @Test func aRateLimitThatOutlastsTheAttemptsIsLeftToTheOutboxWithTheServersWait() async throws {
        let server = ScriptedHomeserver([limited])
        let channel = channel(server, retry: RetryPolicy(maxAttempts: 2))
        await #expect(throws: DeliveryFailure.retryAfter(seconds: 0.04)) {
            _ = try await channel.deliver(hello, key: "evt-2#0", resumingAfter: 0)
        }
        #expect(server.asked.count == 2)
    }

    @Test func otherFailuresGoBackToTheOutboxAtOnce() async throws {
        let down = ScriptedHomeserver([.json(502, "<html>Bad gateway</html>")])
        await #expect(throws: DeliveryFailure.transient("Matrix: 502 HTTP_502")) {
            _ = try await channel(down).deliver(hello, key: "evt-3#0", resumingAfter: 0)
        }
        #expect(down.asked.count == 1, "the outbox owns the backoff for a server error")

        let kicked = ScriptedHomeserver([.json(403, #"{"errcode":"M_FORBIDDEN","error":"not in room"}"#)])
        await #expect(throws: DeliveryFailure.chatUnavailable("Matrix: 403 M_FORBIDDEN: not in room")) {
            _ = try await channel(kicked).deliver(hello, key: "evt-4#0", resumingAfter: 0)
        }
        #expect(kicked.asked.count == 1, "a 403 stops pushes to that room, without retrying")

        let revoked = ScriptedHomeserver([.json(401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}"#)])
        await #expect(throws: DeliveryFailure.transient("Matrix: 401 M_UNKNOWN_TOKEN: Invalid access token")) {
            _ = try await channel(revoked).deliver(hello, key: "evt-5#0", resumingAfter: 0)
        }
        #expect(revoked.asked.count == 1, "a revoked token waits for the owner; the message is kept")
    }
}
