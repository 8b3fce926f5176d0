import Foundation
import StewardHTTP
import Testing
import TelegramAdapter

/// Answers every request with one canned response, or fails with one transport error.
private struct CannedTransport: HTTPTransport {
    var status = 200
    var body = ""
    var failure: HTTPTransportError?

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        if let failure { throw failure }
        return HTTPResponseSpec(status: status, headers: [(name: "Content-Type", value: "application/json")], body: Data(body.utf8))
    }
}

/// The Bot API's answers, read by the real client, fall into the pipeline's shared classes.
@Suite("TelegramError.classify: Bot API failures in the shared classes")
struct TelegramFailureClassTests {
    private func failure(_ transport: CannedTransport) async -> RemoteFailure? {
        let client = HTTPTelegramClient(token: "123:secret", baseURL: URL(string: "http://telegram.invalid")!, transport: transport)
        do {
            _ = try await client.getMe()
            return nil
        } catch {
            return TelegramError.classify(error)
        }
    }

    private func refused(_ status: Int, _ description: String) -> CannedTransport {
        CannedTransport(status: status, body: #"{"ok":false,"error_code":\#(status),"description":"\#(description)"}"#)
    }

    @Test func floodControlCarriesParametersRetryAfter() async {
        let limited = await failure(CannedTransport(status: 429, body: """
            {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}
            """))
        #expect(limited == .rateLimited)
        #expect(limited?.retryAfter == .seconds(17))
        #expect(await failure(refused(429, "Too Many Requests"))?.retryAfter == .seconds(1), "a bare 429 still waits a second")
    }

    @Test func everyOtherFailureHasItsClass() async {
        #expect(await failure(CannedTransport(status: 502, body: "<html>Bad Gateway</html>")) == .unavailable)
        #expect(await failure(refused(401, "Unauthorized")) == .unauthorized)
        #expect(await failure(refused(403, "Forbidden: bot was blocked by the user")) == .unauthorized)
        #expect(await failure(refused(400, "Bad Request: chat not found")) == .notFound)
        #expect(await failure(refused(400, "Bad Request: message text is empty")) == .rejected)
        #expect(await failure(refused(409, "Conflict: terminated by other getUpdates request")) == .rejected)
        #expect(await failure(CannedTransport(failure: .timeout("read"))) == .timeout)
        #expect(await failure(CannedTransport(failure: .connection("refused"))) == .network)
        #expect(TelegramError.classify(CancellationError()) == nil)
    }
}
