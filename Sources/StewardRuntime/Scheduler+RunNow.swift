import Foundation

extension Scheduler {
    /// Runs, once, every job that is due at the clock's now and that this process claims: what the job
    /// loops do on their next tick. An in-process test moves its manual clock and calls this, so a triage
    /// cycle or a digest check happens at once instead of after the loop's sleep. Jobs not registered yet
    /// (the loops register them as they start) are registered first, due now.
    public func runDueJobs() async {
        for job in definitions {
            try? await jobs.ensureJob(name: job.name, firstRunAt: clock.now())
            await runIfDue(job)
        }
    }
}
