import Foundation
import SlackAdapter
import StewardCore

/// `/status` lines about the running process: version, uptime, queues, jobs and platform health.
struct RuntimeStatus: StatusSource {
    let startedAt: Date
    let outbox: any OutboxRepository
    let state: any StateRepository
    let jobs: any JobRepository
    let platforms: [Platform]

    func statusLines() async -> [String] { await statusLines(zone: nil) }

    func statusLines(in zone: TimeZone) async -> [String] { await statusLines(zone: zone) }

    /// With a zone (the asking user's), times are shown in it and the zone named once; without, as ISO 8601.
    private func statusLines(zone: TimeZone?) async -> [String] {
        var lines = ["Steward \(StewardVersion.current), up \(Self.duration(Date().timeIntervalSince(startedAt)))"
                     + (zone.map { "; times in \($0.identifier)" } ?? "")]
        if let pending = try? await outbox.pendingCount() { lines.append("Messages waiting to be sent: \(pending)") }
        if platforms.contains(.telegram) {
            let last = (try? await state.value("telegram.lastPoll")) ?? nil
            lines.append("Telegram: last successful poll \(StatusTime.string(stored: last, in: zone))")
        }
        if platforms.contains(.slack) { lines.append(await SlackHealth.statusLine(from: state)) }
        if platforms.contains(.matrix) { lines += await MatrixHealth.statusLines(from: state, in: zone) }
        for job in (try? await jobs.allJobs()) ?? [] {
            let last = job.lastRunAt.map { StatusTime.string($0, in: zone) } ?? "never"
            lines.append("Job \(job.name): last run \(last), next \(StatusTime.string(job.nextRunAt, in: zone))"
                         + (job.lastError.map { ", last error: \($0)" } ?? ""))
        }
        // A mailbox whose triage keeps failing, or messages it had to skip.
        lines += await TriageHealth.statusLines(from: state, in: zone)
        return lines
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds)
        if total < 120 { return "\(total) s" }
        if total < 7200 { return "\(total / 60) min" }
        if total < 172_800 { return "\(total / 3600) h" }
        return "\(total / 86_400) days"
    }
}

public enum StewardVersion {
    public static let current = "0.1.0"
}
