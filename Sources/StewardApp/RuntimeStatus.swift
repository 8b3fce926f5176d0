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

    func statusLines() async -> [String] {
        var lines = ["Steward \(StewardVersion.current), up \(Self.duration(Date().timeIntervalSince(startedAt)))"]
        if let pending = try? await outbox.pendingCount() { lines.append("Messages waiting to be sent: \(pending)") }
        if platforms.contains(.telegram) {
            let last = try? await state.value("telegram.lastPoll")
            lines.append("Telegram: last successful poll \(last ?? "never")")
        }
        if platforms.contains(.slack) { lines.append(await SlackHealth.statusLine(from: state)) }
        if platforms.contains(.matrix) { lines += await MatrixHealth.statusLines(from: state) }
        for job in (try? await jobs.allJobs()) ?? [] {
            let last = job.lastRunAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
            lines.append("Job \(job.name): last run \(last), next \(ISO8601DateFormatter().string(from: job.nextRunAt))"
                         + (job.lastError.map { ", last error: \($0)" } ?? ""))
        }
        // A mailbox whose triage keeps failing, or messages it had to skip.
        lines += await TriageHealth.statusLines(from: state)
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
