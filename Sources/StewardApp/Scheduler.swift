import Foundation
import Logging
import StewardCore

/// Runs persisted jobs. A job's next run is claimed in the database before it runs, so each run happens
/// once even with several instances or after a restart; a missed run (the process was down) runs at start.
public struct Scheduler: Sendable {
    public struct Job: Sendable {
        public var name: String
        public var interval: TimeInterval
        public var work: @Sendable () async throws -> Void
    }

    let jobs: any JobRepository
    let definitions: [Job]
    let logger: Logger
    var clock: StewardClock = .system
    /// How often due jobs are looked for: every 15 s, or as often as the most frequent job runs; every
    /// second under a test clock, which may jump ahead at any moment.
    var tick: Duration {
        clock.isManual ? .seconds(1) : .seconds(min(15, definitions.map(\.interval).min() ?? 15))
    }

    public func run() async {
        do {
            for job in definitions { try await jobs.ensureJob(name: job.name, firstRunAt: clock.now()) }
        } catch {
            logger.error("could not register jobs: \(error)")
        }
        while !Task.isCancelled {
            await runDue()
            try? await Task.sleep(for: tick)
        }
    }

    func runDue() async {
        let now = clock.now()
        guard let due = try? await jobs.dueJobs(at: now) else { return }
        for stored in due {
            guard let job = definitions.first(where: { $0.name == stored.name }) else { continue }
            guard (try? await jobs.claim(name: job.name, expectedNextRun: stored.nextRunAt,
                                         nextRunAt: now.addingTimeInterval(job.interval), at: now)) == true
            else { continue }
            do {
                try await job.work()
                try? await jobs.recordResult(name: job.name, error: nil)
            } catch {
                logger.error("job failed", metadata: ["job": "\(job.name)", "error": "\(error)"])
                try? await jobs.recordResult(name: job.name, error: "\(error)")
            }
        }
    }
}
