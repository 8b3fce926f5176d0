import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StewardCore

/// The production `HTTPTransport`: one owned AsyncHTTPClient (one connection pool for the whole app).
/// Call `shutdown()` once, when the app stops.
public final class AsyncHTTPTransport: HTTPTransport, HTTPFetching {
    private let client: HTTPClient
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - connectTimeout: how long establishing a connection may take.
    ///   - maxResponseBytes: a larger body fails with `HTTPTransportError.responseTooLarge`.
    public init(connectTimeout: Duration = .seconds(10), maxResponseBytes: Int = 32 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(Int64(connectTimeout.milliseconds))
        // A refused connection fails now instead of being retried inside the pool until the connect timeout:
        // retrying is `RemoteCall`'s job, by each API's policy, so there is one retry loop, not two (a dead
        // calendar URL took doctor 40 s of hidden retries).
        configuration.connectionPool.retryConnectionEstablishment = false
        // Steward bootstraps no tracer: with the default (the global no-op one) every request still built a
        // span and its attributes, 1.8% of a paced Telegram update's CPU (Benchmarks/README.md).
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maxResponseBytes = maxResponseBytes
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Released without `shutdown()` (a path that threw before it, a test that failed early): the client's
    /// connections are closed now instead of leaking, and a debug build does not trap in its deinit, which
    /// would end a whole test run to report one failed test. After `shutdown()` this only fails with
    /// AsyncHTTPClient's "already shut down", which nobody waits for.
    deinit {
        _ = client.shutdown()
    }

    public func send(_ spec: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        do {
            var headers = HTTPHeaders()
            for header in spec.headers {
                headers.add(name: header.name, value: header.value)
            }
            // A known length: AsyncHTTPClient sets Content-Length.
            let request = try HTTPClient.Request(url: spec.url, method: HTTPMethod(rawValue: spec.method.uppercased()),
                                                 headers: headers, body: spec.body.map { .bytes($0) })
            // AsyncHTTPClient's delegate API, not its `async` one: that one starts a task of its own per
            // request on Swift's global pool (to watch for cancellation), two thread wake-ups per message that
            // `TaskPlace` can't keep on the loops. Here the deadline bounds the whole exchange, the body
            // included (the request fails at its deadline in any state), and the future is awaited on the
            // loop that completes it.
            let task = client.execute(request: request,
                                      delegate: ResponseAccumulator(request: request, maxBodySize: maxResponseBytes),
                                      eventLoop: .indifferent,
                                      deadline: .now() + .nanoseconds(spec.timeout.nanoseconds), logger: nil)
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return HTTPResponseSpec(status: Int(response.status.code),
                                    headers: response.headers.map { (name: $0.name, value: $0.value) },
                                    body: response.body.map { Data($0.readableBytesView) } ?? Data())
        } catch {
            throw Self.map(error)
        }
    }

    public func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        try await conditionalGet(url, etag: etag)
    }

    /// Turns library and NIO errors into `HTTPTransportError`, keeping cancellation as it is.
    static func map(_ error: any Error) -> any Error {
        if error is CancellationError || error is HTTPTransportError { return error }
        let text = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled:
                return Task.isCancelled ? CancellationError() : HTTPTransportError.connection(text)
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return HTTPTransportError.timeout(text)
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return HTTPTransportError.invalidRequest(text)
            default:
                if text.contains("unsupportedScheme") { return HTTPTransportError.invalidRequest(text) }
                return HTTPTransportError.connection(text)
            }
        }
        if error is ResponseAccumulator.ResponseTooBigError { return HTTPTransportError.responseTooLarge(text) }
        if Task.isCancelled { return CancellationError() }
        // NIO's IOError / ChannelError / connection errors: the server was not reachable or hung up.
        return HTTPTransportError.connection(String(describing: error))
    }
}

extension Duration {
    /// Whole milliseconds, rounded down; what NIO's `TimeAmount` wants.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (enough for 292 years); what NIO's `TimeAmount.nanoseconds` wants.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Seconds as a floating-point value.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
