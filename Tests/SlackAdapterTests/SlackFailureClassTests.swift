import Foundation
import SlackAdapter
import StewardHTTP
import Testing

/// Answers every request with one canned response, or fails with one transport error.
private struct CannedTransport: HTTPTransport {
    var status = 200
    var headers: [(name: String, value: String)] = []
    var body = ""
    var failure: HTTPTransportError?

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        if let failure { throw failure }
        return HTTPResponseSpec(status: status, headers: headers, body: Data(body.utf8))
    }
}

private struct Answer: Decodable, Sendable {
    var ok: Bool
}

/// The Web API's answers, read by the real client, fall into the pipeline's shared classes.
@Suite("SlackError.classify: Web API failures in the shared classes")
struct SlackFailureClassTests {
    private func failure(_ transport: CannedTransport) async -> RemoteFailure? {
        let client = HTTPSlackClient(token: "xoxb-secret", baseURL: URL(string: "http://slack.invalid/api")!, transport: transport)
        do {
            let _: Answer = try await client.call("chat.postMessage", ["channel": "C1", "text": "hi"], token: nil)
            return nil
        } catch {
            return SlackError.classify(error)
        }
    }

    private func refused(_ error: String) -> CannedTransport {
        CannedTransport(body: #"{"ok":false,"error":"\#(error)"}"#)
    }

    @Test func aRateLimitCarriesTheRetryAfterHeader() async {
        let limited = await failure(CannedTransport(status: 429, headers: [(name: "Retry-After", value: "30")],
                                                    body: #"{"ok":false,"error":"ratelimited"}"#))
        #expect(limited == .rateLimited)
        #expect(limited?.retryAfter == .seconds(30))
        #expect(await failure(refused("ratelimited"))?.retryAfter == .seconds(1), "without the header it still waits a second")
    }

    @Test func errorStringsFallIntoClasses() async {
        #expect(await failure(refused("invalid_auth")) == .unauthorized)
        #expect(await failure(refused("token_revoked")) == .unauthorized)
        #expect(await failure(refused("channel_not_found")) == .notFound)
        #expect(await failure(refused("not_in_channel")) == .rejected)
        #expect(await failure(refused("msg_too_long")) == .rejected)
        #expect(await failure(refused("internal_error")) == .unavailable)
        #expect(await failure(CannedTransport(status: 503, body: "<html>down</html>")) == .unavailable)
        #expect(await failure(CannedTransport(failure: .timeout("read"))) == .timeout)
        #expect(await failure(CannedTransport(failure: .connection("reset"))) == .network)
    }
}

/// One parse of a Web API answer gives both the verdict and the method's fields.
@Suite("HTTPSlackClient: an answer's fields and its ok come from the same body")
struct SlackAnswerDecodingTests {
    private func post(_ transport: CannedTransport) async throws -> SlackMessageResponse {
        let client = HTTPSlackClient(token: "xoxb-secret", baseURL: URL(string: "http://slack.invalid/api")!, transport: transport)
        return try await client.postMessage(SlackPostMessageRequest(channel: "D1", text: "hi", blocks: nil))
    }

    @Test func aPostedMessageGivesItsChannelAndTS() async throws {
        let body = #"{"ok":true,"channel":"D1","ts":"1700000000.000101","message":{"type":"message","text":"hi","blocks":[]}}"#
        let answer = try await post(CannedTransport(body: body))
        #expect(answer.channel == "D1")
        #expect(answer.ts == "1700000000.000101")
    }

    @Test func okWithoutTheMethodsFieldsIsAServerErrorNamingTheMethod() async {
        do {
            _ = try await post(CannedTransport(body: #"{"ok":true,"channel":"D1"}"#))
            Issue.record("an answer without ts was taken")
        } catch let error as SlackError {
            #expect(error.description.contains("unexpected answer to chat.postMessage"))
            #expect(SlackError.classify(error) == .unavailable)
        } catch {
            Issue.record("not a SlackError: \(error)")
        }
    }

    @Test func aRefusalWithFieldsMissingKeepsItsError() async {
        do {
            _ = try await post(CannedTransport(body: #"{"ok":false,"error":"channel_not_found"}"#))
            Issue.record("a refusal was taken")
        } catch {
            #expect(SlackError.classify(error) == .notFound)
        }
    }
}
