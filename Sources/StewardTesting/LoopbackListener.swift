import Hummingbird
import Logging
import NIOCore

/// The listening side every fake server shares: runs a Hummingbird application on a loopback address
/// (port 0 = an ephemeral one), returns once the port is bound, and stops it by cancelling its task.
actor LoopbackListener {
    /// The bound port while running.
    private(set) var port: Int?
    private var task: Task<Void, any Error>?

    enum Failure: Error, Sendable, CustomStringConvertible {
        case couldNotStart(String), notStarted(String)

        var description: String {
            switch self {
            case .couldNotStart(let name): "\(name) could not bind its port"
            case .notStarted(let name): "\(name) is not running; call start() first"
            }
        }
    }

    /// A quiet logger for a fake (tests read the fake's request log, not its chatter).
    static func silentLogger(_ label: String) -> Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// Starts the application `makeApplication` builds; it must call the hook it is given from its
    /// `onServerRunning`. Returns the bound port.
    @discardableResult
    func start<App: ApplicationProtocol>(
        name: String,
        _ makeApplication: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App
    ) async throws -> Int {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let task = Task {
            defer { continuation.finish() }
            try await application.run()
        }
        var bound: Int?
        for await port in ports { bound = port }
        guard let bound, bound > 0 else {
            task.cancel()
            _ = await task.result
            throw Failure.couldNotStart(name)
        }
        port = bound
        self.task = task
        return bound
    }

    /// The bound port, or an error naming the fake when it is not running.
    func runningPort(name: String) throws -> Int {
        guard let port else { throw Failure.notStarted(name) }
        return port
    }

    func stop() async {
        guard let task else { return }
        self.task = nil
        port = nil
        task.cancel()
        _ = await task.result
    }
}
