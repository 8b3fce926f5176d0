import Foundation
import Hummingbird
import StewardCore

/// The HTTP side of Steward: health, metrics and platform webhooks on one listener.
public enum StewardServer {
    /// `/healthz` answers 200 `ok` while every check passes, 503 with the failing lines otherwise;
    /// `/metrics` is Prometheus text. With `bearerToken` (`STEWARD_METRICS_TOKEN`) both want
    /// `Authorization: Bearer <token>` and answer 401 without it: they tell who uses the bot and when.
    public static func buildRouter(
        health: @escaping @Sendable () async -> [String],
        metrics: @escaping @Sendable () async -> String,
        bearerToken: String? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { request, _ -> Response in
            if let refusal = unauthorized(request, bearerToken) { return refusal }
            let problems = await health()
            let body = problems.isEmpty ? "ok\n" : problems.joined(separator: "\n") + "\n"
            return Response(status: problems.isEmpty ? .ok : .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { request, _ -> Response in
            if let refusal = unauthorized(request, bearerToken) { return refusal }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: await metrics())))
        }
        return router
    }

    /// A 401 unless the request carries the token; nil when it does or none is required.
    static func unauthorized(_ request: Request, _ token: String?) -> Response? {
        guard let token else { return nil }
        let sent = request.headers[.authorization] ?? ""
        // Compared in constant time, so the answer's timing doesn't tell how much of a guess was right.
        let expected = Array("Bearer \(token)".utf8), given = Array(sent.utf8)
        var difference = expected.count ^ given.count
        for index in expected.indices { difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0)) }
        guard difference != 0 else { return nil }
        return Response(status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: "Bearer"],
                        body: .init(byteBuffer: ByteBuffer(string: "Authorization: Bearer <STEWARD_METRICS_TOKEN> required\n")))
    }
}
