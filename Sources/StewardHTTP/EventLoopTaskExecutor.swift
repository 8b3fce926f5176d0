import AsyncHTTPClient
import NIOCore

/// Runs Swift tasks on the event loops of the HTTP client's group (NIO's shared one, also the webhook
/// server's and the WebSockets'), so the code that reads a response and the task waiting for it are on
/// one thread (`StewardCore.TaskPlace`).
///
/// A job goes to the loop it is enqueued from when that is one of the group's (`EventLoopGroup.any()`
/// is sticky there): a continuation resumed by a response runs right after the response is read, without
/// waking another thread. From elsewhere (a timer, a database thread), the group picks a loop.
/// The loops' thread count is one per core, as the global pool's; the store's short synchronous
/// transactions hold a loop thread exactly as they held a pool thread.
public final class EventLoopTaskExecutor: TaskExecutor {
    private let group: any EventLoopGroup

    public init(group: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) {
        self.group = group
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        group.any().execute { job.runSynchronously(on: executor) }
    }
}
