import Foundation
import Metrics
import StewardCore

/// A transport that measures every exchange with one remote API: a latency histogram
/// (`steward_remote_request_duration_seconds{api}`) and failures by class
/// (`steward_remote_errors_total{api,class}`). The composition root hands each client its own, named for
/// the API it talks to, so no client needs to know about metrics. Labels never carry a URL: Telegram's
/// has the bot token in its path.
public struct MeasuredTransport: HTTPTransport, HTTPFetching {
    public let api: String
    private let inner: any HTTPTransport
    private let duration: Metrics.Timer

    public init(api: String, inner: any HTTPTransport) {
        self.api = api
        self.inner = inner
        duration = Metrics.Timer(label: "steward_remote_request_duration_seconds", dimensions: [("api", api)],
                                 preferredDisplayUnit: .seconds)
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        let start = ContinuousClock.now
        do {
            let response = try await inner.send(request)
            duration.recordInterval(since: start)
            if let errorClass = Self.errorClass(status: response.status) { count(errorClass) }
            return response
        } catch {
            duration.recordInterval(since: start)
            count(Self.errorClass(of: error))
            throw error
        }
    }

    public func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        try await conditionalGet(url, etag: etag)
    }

    private func count(_ errorClass: String) {
        Counter(label: "steward_remote_errors_total", dimensions: [("api", api), ("class", errorClass)]).increment()
    }

    /// The small shared error shape (`RemoteFailure`): what a caller would do about it, not the API's own words.
    public static func errorClass(status: Int) -> String? {
        RemoteFailure.from(status: status)?.metricsClass
    }

    public static func errorClass(of error: any Error) -> String {
        RemoteFailure.from(transportError: error)?.metricsClass ?? "cancelled"
    }
}

extension HTTPTransport {
    /// This transport, measured as `api` (e.g. `telegram`, `google`, `model`).
    public func measured(as api: String) -> MeasuredTransport { MeasuredTransport(api: api, inner: self) }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
