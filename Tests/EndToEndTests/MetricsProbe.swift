import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting

/// The child's `/metrics`, read the way Prometheus reads it: how a subprocess test knows that a job ran and
/// that everything was answered and sent, instead of sleeping and hoping.
struct MetricsProbe {
    let url: URL

    init(environment: [String: String]) throws {
        guard let port = environment["STEWARD_HTTP_PORT"], let url = URL(string: "http://127.0.0.1:\(port)/metrics") else {
            throw ProcessFailure("no STEWARD_HTTP_PORT in the test environment")
        }
        self.url = url
    }

    /// The sample `name` (with exactly `labels`, written as in the text format: `job="daily-digest"`);
    /// 0 when the family has no such sample yet, nil when `/metrics` does not answer.
    func value(_ name: String, labels: String = "") async -> Double? {
        guard let (data, response) = try? await URLSession.shared.data(from: url),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        let series = labels.isEmpty ? name : "\(name){\(labels)}"
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return 0
    }

    /// How often `job` has run in this process.
    func runs(of job: String) async -> Double {
        await value("steward_job_runs_total", labels: "job=\"\(job)\"") ?? 0
    }

    /// Waits until `job` has run more than `count` times in this process.
    func waitForRuns(of job: String, moreThan count: Double, timeout: Duration = .seconds(20)) async throws {
        try await waitUntil(timeout: timeout) { await runs(of: job) > count }
    }

    /// Waits until nothing is waiting: every stored inbound event answered, every delivery sent. Both gauges
    /// must be in the scrape (they are missing when the store could not be read, which is not "drained").
    func waitForDrain(timeout: Duration = .seconds(20)) async throws {
        try await waitUntil(timeout: timeout) {
            guard let (data, response) = try? await URLSession.shared.data(from: url),
                  (response as? HTTPURLResponse)?.statusCode == 200 else { return false }
            let lines = Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
            return lines.contains("steward_outbox_pending 0") && lines.contains("steward_inbound_unprocessed 0")
        }
    }
}
