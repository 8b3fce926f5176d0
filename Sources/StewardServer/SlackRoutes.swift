import Foundation
import Hummingbird
import SlackAdapter

extension Router {
    /// `POST /slack/events`, `/slack/interactive` and `/slack/commands`, handed to `receiver`, which
    /// checks the signature on the *raw* body bytes before anything is parsed, stores the event and
    /// picks the answer. Bodies over `maxBodySize` are refused with 413; real payloads are kilobytes.
    public func addSlackRoutes(receiver: SlackHTTPReceiver, maxBodySize: Int = 1 << 20) {
        typealias Endpoint = @Sendable (SlackHTTPReceiver, [String: String], Data) async -> SlackHTTPResponse
        let endpoints: [(String, Endpoint)] = [
            ("/slack/events", { await $0.events(headers: $1, body: $2) }),
            ("/slack/interactive", { await $0.interactive(headers: $1, body: $2) }),
            ("/slack/commands", { await $0.commands(headers: $1, body: $2) }),
        ]
        for (path, endpoint) in endpoints {
            post(RouterPath(path)) { request, _ -> Response in
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                var request = request
                let body: Data
                do {
                    body = Data(try await request.collectBody(upTo: maxBodySize).readableBytesView)
                } catch {
                    return Response(status: .contentTooLarge)
                }
                let answer = await endpoint(receiver, headers, body)
                var responseHeaders = HTTPFields()
                if let type = answer.contentType { responseHeaders[.contentType] = type }
                return Response(status: .init(code: answer.status), headers: responseHeaders,
                                body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
            }
        }
    }
}
