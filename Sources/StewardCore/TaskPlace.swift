/// Where Steward's own long-lived and per-message tasks run.
///
/// By default a task runs on Swift's global pool, while every HTTP connection, the webhook server and
/// the WebSocket live on NIO's event-loop threads: each request and each answer crossed from one set of
/// threads to the other, a futex wake and a context switch each way, several per message (issue 19,
/// Benchmarks/README.md "Fourth pass"). The running binary prefers an executor that runs jobs on those
/// event loops (`StewardHTTP.EventLoopTaskExecutor`), so an answer read on a loop resumes its task on
/// that same thread. Tests that build the engine without it keep the global pool: nil is "no preference".
///
/// Child tasks (task groups, `async let`) inherit a preference by themselves; an unstructured `Task {}`
/// does not, which is why the engine's own ones are started through `TaskPlace.task`.
public enum TaskPlace {
    private static let chosen = Locked<(any TaskExecutor)?>(nil)

    /// The executor Steward's tasks prefer, or nil for Swift's global pool.
    public static var preferred: (any TaskExecutor)? { chosen.withLock { $0 } }

    /// Set once at start, before the engine starts any task.
    public static func prefer(_ executor: (any TaskExecutor)?) { chosen.withLock { $0 = executor } }

    /// `Task { … }` on the preferred executor.
    @discardableResult
    public static func task<Success: Sendable>(_ operation: sending @escaping () async -> Success) -> Task<Success, Never> {
        Task(executorPreference: preferred, operation: operation)
    }

    /// `Task { … }` that throws, on the preferred executor.
    @discardableResult
    public static func task<Success: Sendable>(
        _ operation: sending @escaping () async throws -> Success) -> Task<Success, any Error> {
        Task(executorPreference: preferred, operation: operation)
    }
}
