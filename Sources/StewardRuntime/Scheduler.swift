import Foundation
import Logging
import Metrics
import StewardCore

/// Runs persisted jobs. A job's next run is claimed in the database before it runs, so each run happens
/// once even with several instances or after a restart; a missed run (the process was down) runs at start.
///
/// Each job has a loop of its own: a slow run (a triage cycle waiting on Gmail) holds back only the next
/// run of that job, never the digest or approval expiry.
public struct Scheduler: Sendable {
    public struct Job: Sendable {
        public var name: String
        public var interval: TimeInterval
        public var work: @Sendable () async throws -> Void

        public init(name: String, interval: TimeInterval, work: @escaping @Sendable () async throws -> Void) {
            self.name = name
            self.interval = interval
            self.work = work
        }
    }

    let jobs: any JobRepository
    let definitions: [Job]
    let logger: Logger
    var clock: StewardClock = .system

    public init(jobs: any JobRepository, definitions: [Job], logger: Logger, clock: StewardClock = .system) {
        self.jobs = jobs
        self.definitions = definitions
        self.logger = logger
        self.clock = clock
    }

    /// How often `job` looks whether it is due: every 15 s, or as often as it runs when that is more
    /// often; every second under a test clock, which may jump ahead at any moment.
    func tick(for job: Job) -> Duration {
        clock.isManual ? .seconds(1) : .seconds(min(15, job.interval))
    }

    public func run() async {
        do {
            for job in definitions { try await jobs.ensureJob(name: job.name, firstRunAt: clock.now()) }
        } catch {
            logger.error("could not register jobs: \(error)")
        }
        await withDiscardingTaskGroup { group in
            for job in definitions {
                group.addTask {
                    while !Task.isCancelled {
                        await runIfDue(job)
                        try? await Task.sleep(for: tick(for: job))
                    }
                }
            }
        }
    }

    /// Runs `job` once if its next run has come and this process claims it.
    func runIfDue(_ job: Job) async {
        let now = clock.now()
        guard let stored = try? await jobs.dueJobs(at: now).first(where: { $0.name == job.name }),
              (try? await jobs.claim(name: job.name, expectedNextRun: stored.nextRunAt,
                                     nextRunAt: now.addingTimeInterval(job.interval), at: now)) == true
        else { return }
        // Both families exist from a job's first run, so a scrape shows zero failures rather than nothing.
        // Job names are the fixed few the composition root defines: a bounded label.
        let runs = Counter(label: "steward_job_runs_total", dimensions: [("job", job.name)])
        let failures = Counter(label: "steward_job_failures_total", dimensions: [("job", job.name)])
        runs.increment()
        do {
            try await job.work()
            try? await jobs.recordResult(name: job.name, error: nil)
        } catch {
            failures.increment()
            logger.error("job failed", metadata: ["job": "\(job.name)", "error": "\(error)"])
            try? await jobs.recordResult(name: job.name, error: "\(error)")
        }
    }
}
