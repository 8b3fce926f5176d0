import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardApp
import StewardCore
import StewardHTTP
import StewardServer
import StewardTesting
import Testing

/// `/metrics` after a short session: Prometheus text with every family the spine issue names, and sane
/// values. Parsed line by line as Prometheus' text format defines it (name{labels} value).
struct MalformedMetrics: Error { var line: String }

@Suite(.serialized) struct MetricsEndpointTests {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// The text format: `# HELP`/`# TYPE` comments, then `name{a="b",…} value` lines.
    static func parse(_ text: String) throws -> [Sample] {
        try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let (head, value) = (line[..<line.lastIndex(of: " ")!], line[line.index(after: line.lastIndex(of: " ")!)...])
            guard let number = Double(value) else { throw MalformedMetrics(line: String(line)) }
            guard let brace = head.firstIndex(of: "{") else { return Sample(name: String(head), labels: [:], value: number) }
            var labels: [String: String] = [:]
            for pair in head[head.index(after: brace)..<head.index(before: head.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(head[..<brace]), labels: labels, value: number)
        }
    }

    func makeServices() throws -> (Services, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-metrics-\(UUID().uuidString)")
        let configuration = try Configuration.load(environment: ["STEWARD_DATA_DIR": directory.path,
                                                                 "STEWARD_OWNERS": "telegram:100"], envFile: nil)
        let services = try Services(configuration: configuration, channels: { _ in ([], [:]) }, consoleIdentity: nil,
                                    statusPlatforms: [])
        return (services, directory)
    }

    @Test func aSessionLeavesEveryFamilyWithSaneValues() async throws {
        let (services, directory) = try makeServices()
        defer { try? FileManager.default.removeItem(at: directory) }
        let owner = ChatIdentity(platform: .telegram, userID: "100")
        let dm = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
        try await services.processor.accept([
            InboundEvent(id: "m1", sender: owner, chat: dm, kind: .command(name: "help", arguments: ""), receivedAt: Date()),
            InboundEvent(id: "m2", sender: owner, chat: dm, kind: .command(name: "status", arguments: ""), receivedAt: Date()),
        ])
        await services.processor.drain()
        // The jobs' first runs: every job is due when the scheduler starts.
        let scheduler = Task { await services.scheduler.run() }
        try await waitUntil {
            let text = await StewardMetrics.render(services)
            return text.contains("steward_job_runs_total{job=\"approval-expiry\"}")
                && text.contains("steward_job_runs_total{job=\"daily-digest\"}")
        }
        scheduler.cancel()
        await scheduler.value
        // A remote API that answers 500: one measured request, one error of class "server".
        let router = Router()
        router.get("broken") { _, _ -> Response in Response(status: .internalServerError) }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/broken"))
            _ = try await services.http.measured(as: "testapi").send(HTTPRequestSpec(url: url))
        }

        let samples = try Self.parse(await StewardMetrics.render(services))
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
        }
        #expect((value("steward_inbound_events_total", ["platform": "telegram"]) ?? 0) >= 2)
        #expect((value("steward_answer_duration_seconds_count") ?? 0) >= 2)
        #expect(value("steward_remote_request_duration_seconds_count", ["api": "testapi"]) == 1)
        #expect(value("steward_remote_errors_total", ["api": "testapi", "class": "server"]) == 1)
        #expect(value("steward_outbox_pending") == 2, "two answers wait: no platform to send them to")
        let age = try #require(value("steward_outbox_oldest_pending_age_seconds"))
        #expect(age >= 0 && age < 600)
        #expect(value("steward_inbound_unprocessed") == 0)
        for job in ["approval-expiry", "daily-digest"] {
            let runs = try #require(value("steward_job_runs_total", ["job": job]))
            let failures = try #require(value("steward_job_failures_total", ["job": job]), "failures are shown at zero")
            #expect(runs >= 1 && failures >= 0 && failures <= runs, "\(job): \(runs) runs, \(failures) failures")
        }
        await services.shutdown()
    }

    /// Triage cycles and failed cycles, one account's triage each. Other suites triage in this process
    /// at the same time, so the counts are compared by how much they grew.
    @Test func triageCyclesAndFailedCyclesAreCounted() async throws {
        StewardMetrics.bootstrap()
        func total(_ name: String) throws -> Double {
            try Self.parse(StewardMetrics.registry.emitToString()).first { $0.name == name }?.value ?? 0
        }
        try await GmailWorld.run { world in
            let triage = world.triage()
            let (cycles, failures) = (try total("steward_triage_cycles_total"), try total("steward_triage_failures_total"))
            try await triage.runDue()  // the first cycle notes where the mailbox stands
            await world.state.failNext(10, with: .internalServerError, method: "gmail.users.history.list")
            try await world.advanceClock(by: 120)
            try await triage.runDue()  // Gmail fails: the cycle is recorded as failed
            #expect(try total("steward_triage_cycles_total") - cycles >= 2)
            #expect(try total("steward_triage_failures_total") - failures >= 1)
        }
    }

    @Test func theTokenGuardsMetricsAndHealth() async throws {
        let router = StewardServer.buildRouter(health: { [] }, metrics: { "steward_up 1\n" },
                                               bearerToken: "s3cret-metrics-token")
        try await Application(router: router).test(.router) { client in
            for path in ["/metrics", "/healthz"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer wrong"]) {
                    #expect($0.status == .unauthorized)
                }
                try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer s3cret-metrics-token"]) {
                    #expect($0.status == .ok)
                }
            }
        }
    }
}
