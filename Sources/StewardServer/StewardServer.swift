import Foundation
import Hummingbird
import StewardCore

/// The HTTP side of Steward: health, metrics and platform webhooks on one listener.
public enum StewardServer {
    /// `/healthz` answers 200 `ok` while every check passes, 503 with the failing lines otherwise;
    /// `/metrics` is Prometheus text.
    public static func buildRouter(
        health: @escaping @Sendable () async -> [String],
        metrics: @escaping @Sendable () async -> String
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ -> Response in
            let problems = await health()
            let body = problems.isEmpty ? "ok\n" : problems.joined(separator: "\n") + "\n"
            return Response(status: problems.isEmpty ? .ok : .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: await metrics())))
        }
        return router
    }
}
