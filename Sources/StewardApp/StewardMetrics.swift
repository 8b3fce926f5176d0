import Foundation
import Metrics
import Prometheus
import StewardStorage
import TelegramAdapter

/// swift-metrics with a Prometheus registry behind `/metrics`. Events are counted where they happen
/// (remote calls, inbound events, answers, model tokens, job runs, triage cycles); state (the outbox,
/// approvals) is read from the database at each scrape, so it is right after a restart too.
enum StewardMetrics {
    /// The process-wide registry: swift-metrics can be bootstrapped once per process, and tests boot
    /// several apps in one.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Answers and remote calls take milliseconds to seconds; a model run up to its 90 s deadline.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(90),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Makes sure the registry is in place before the first metric is created.
    static func bootstrap() { _ = registry }

    /// The Prometheus text: every counter and histogram, then the gauges read from the store now.
    static func render(_ services: Services) async -> String {
        var text = registry.emitToString()
        if let gauges = try? await services.store.gauges(at: Date()) {
            text += gauge("steward_outbox_pending", "Deliveries stored and not yet sent.", [("", gauges.outboxPending)])
            text += gauge("steward_outbox_oldest_pending_age_seconds", "How long the oldest pending delivery has waited.",
                          [("", gauges.oldestPendingAge)])
            text += gauge("steward_inbound_unprocessed", "Stored inbound events not yet answered.",
                          [("", gauges.unprocessedInbound)])
            text += gauge("steward_approvals", "Approval requests by outcome (pending, executed, rejected, expired…).",
                          gauges.approvals.sorted { $0.key < $1.key }.map { ("outcome=\"\(escape($0.key))\"", $0.value) })
        }
        if let text2 = try? await services.store.value(TelegramUpdateSource.lastPollKey),
           let last = ISO8601DateFormatter().date(from: text2) {
            text += gauge("steward_telegram_last_poll_seconds", "Unix time of the last successful getUpdates.",
                          [("", last.timeIntervalSince1970)])
        }
        text += await MatrixHealth.metrics(services.store, gauge: gauge)
        return text
    }

    private static func gauge(_ name: String, _ help: String, _ samples: [(labels: String, value: any Numeric)]) -> String {
        var lines = "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for (labels, value) in samples { lines += "\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(value)\n" }
        return lines
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
