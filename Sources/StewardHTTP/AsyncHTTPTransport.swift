import AsyncHTTPClient
import Foundation
import NIOCore
import StewardCore

/// The production `HTTPTransport`: one owned AsyncHTTPClient (one connection pool for the whole app).
/// Call `shutdown()` once, when the app stops.
public final class AsyncHTTPTransport: HTTPTransport, HTTPFetching {
    private let client: HTTPClient
    private let maxResponseBytes: Int
    /// Every request's deadline, on one timer (see `Deadlines`).
    private let deadlines: Deadlines

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
        deadlines = Deadlines(loop: client.eventLoopGroup.next())
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ spec: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        var request = HTTPClientRequest(url: spec.url.absoluteString)
        request.method = .init(rawValue: spec.method.uppercased())
        for header in spec.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        if let body = spec.body {
            request.body = .bytes(body)  // a known length: AsyncHTTPClient sets Content-Length
        }
        let client = self.client
        let limit = maxResponseBytes
        let prepared = request
        do {
            // AsyncHTTPClient's deadline covers the head only; `withDeadline` also bounds reading the body.
            return try await withDeadline(spec.timeout, on: deadlines) {
                let response = try await client.execute(prepared, timeout: .milliseconds(Int64(spec.timeout.milliseconds)))
                let buffer = try await response.body.collect(upTo: limit)
                return HTTPResponseSpec(status: Int(response.status.code),
                                        headers: response.headers.map { (name: $0.name, value: $0.value) },
                                        body: Data(buffer.readableBytesView))
            }
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
        if text.contains("NIOTooManyBytesError") { return HTTPTransportError.responseTooLarge(text) }
        if Task.isCancelled { return CancellationError() }
        // NIO's IOError / ChannelError / connection errors: the server was not reachable or hung up.
        return HTTPTransportError.connection(String(describing: error))
    }
}

/// Runs `operation`, failing with `HTTPTransportError.timeout` once `limit` has passed.
///
/// The deadline is an entry in `deadlines`, taken out the moment the operation ends. A raced `Task.sleep`
/// would do the same job, but a cancelled sleep keeps its timer, and its task, alive until the deadline: at
/// a thousand sends a second with 20 s deadlines that is tens of thousands of dead timers, megabytes of heap
/// that fragment it for good.
func withDeadline<T: Sendable>(_ limit: Duration, on deadlines: Deadlines,
                               _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    // Started right here, on this thread, up to its first wait (sending the request): a plain `Task` was
    // queued for another thread of the pool to pick up, one more thread woken per request.
    // It keeps the task's executor preference (`TaskPlace`), which an unstructured task would not inherit.
    let place = TaskPlace.preferred
    let work = if #available(macOS 26, *) {
        Task.immediate(executorPreference: place) { try await operation() }
    } else {
        Task(executorPreference: place) { try await operation() }
    }
    let expired = Locked(false)
    let entry = deadlines.add(.now() + .nanoseconds(limit.nanoseconds)) {
        expired.withLock { $0 = true }
        work.cancel()
    }
    defer { deadlines.remove(entry) }
    do {
        return try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
    } catch {
        if expired.withLock({ $0 }), !Task.isCancelled { throw HTTPTransportError.timeout("no complete response within \(limit)") }
        throw error
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
