import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bot under test, in a process of its own: a clean environment, a scratch working directory (so no
/// stray `bot.env` is read), output into a log file, and always stopped — SIGTERM, then SIGKILL after
/// ten seconds. Every started child is registered so a signal to the load tool kills it too.
public final class BotProcess: @unchecked Sendable {
    public let name: String
    public let directory: URL
    public let logURL: URL
    private let process = Process()

    public init(name: String, command: [String], environment: [String: String], directory: URL) throws {
        guard let executable = command.first else { throw LoadError("\(name): empty command") }
        self.name = name
        self.directory = directory
        logURL = directory.appendingPathComponent("bot.log")
        process.executableURL = try Self.resolve(executable)
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        process.currentDirectoryURL = directory
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
    }

    public func start() throws {
        // A child inherits its parent thread's signal mask, and the threads that run Swift concurrency
        // jobs carry libdispatch's (nearly every signal blocked): without this the bot could never receive
        // SIGTERM. python-telegram-bot, which does not reset its mask, would only ever stop by SIGKILL.
        var unblocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        Children.shared.add(process.processIdentifier)
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// SIGTERM, up to ten seconds for a graceful exit, then SIGKILL. `release` runs when the bot is still
    /// there after a second (a bot that finishes its current long poll before exiting needs the server to
    /// end it).
    public func stop(release: @Sendable () async -> Void = {}) async {
        defer { Children.shared.remove(pid) }
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        var released = false
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            if !released, clock.now > deadline - .seconds(9) {
                released = true
                await release()
            }
        }
        if process.isRunning {
            print("[\(name)] did not stop on SIGTERM within 10 s: killing it")
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// The last `count` lines the bot printed (for failure reports).
    public func logTail(_ count: Int = 20) -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    /// An absolute path, a path relative to the current directory, or a name looked up in `PATH`.
    private static func resolve(_ executable: String) throws -> URL {
        if executable.contains("/") {
            let url = URL(fileURLWithPath: executable).standardizedFileURL
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw LoadError("not an executable file: \(url.path)")
            }
            return url
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw LoadError("\(executable) not found in PATH")
    }
}

/// Child pids still running, so SIGINT/SIGTERM/the time limit can kill them before the tool exits.
public final class Children: @unchecked Sendable {
    public static let shared = Children()
    private let lock = NSLock()
    private var pids: Set<Int32> = []

    public func add(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    public func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }

    public func killAll() {
        for pid in lock.withLock({ pids }) { kill(pid, SIGKILL) }
    }
}

/// Kills the children and exits on SIGINT or SIGTERM.
public func installSignalHandlers() -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            print("\(ProcessInfo.processInfo.processName): interrupted; stopping the bot under test")
            Children.shared.killAll()
            exit(130)
        }
        source.resume()
        return source
    }
}

/// What `/proc` says about a process: resident and peak memory, CPU time used so far.
public struct ProcessSample: Sendable {
    public var residentKB: Int
    public var peakResidentKB: Int
    /// The heap and other private memory (`RssAnon`); the rest of the RSS is mapped files (the binary,
    /// shared libraries, ICU data) and shared memory (SQLite's WAL index).
    public var anonymousKB: Int
    public var cpuSeconds: Double
    /// Voluntary and involuntary context switches summed over the process's threads (alive now): each
    /// hand-off between threads (a futex wake, a queue hop) costs at least one.
    public var contextSwitches: Int
    public var threads: Int
    /// CPU seconds summed over the threads alive now (`schedstat`, nanoseconds): fine-grained where
    /// `cpuSeconds` counts 10 ms ticks, but a thread that ended took its share with it.
    public var threadCPUSeconds: Double

    public var residentMB: Double { Double(residentKB) / 1024 }
    public var peakResidentMB: Double { Double(peakResidentKB) / 1024 }
    public var anonymousMB: Double { Double(anonymousKB) / 1024 }

    /// "52.3 MB (52.3 MB peak; 31.0 MB heap and private, 21.3 MB files and shared)"
    public var memoryDescription: String {
        "\(format(megabytes: residentMB)) (peak \(format(megabytes: peakResidentMB)); \(format(megabytes: anonymousMB)) anonymous, "
            + "\(format(megabytes: residentMB - anonymousMB)) file-backed and shared)"
    }

    /// nil when the process is gone (or this is not Linux).
    public static func read(pid: Int32) -> ProcessSample? {
        read(path: "/proc/\(pid)")
    }

    public static func current() -> ProcessSample? { read(path: "/proc/self") }

    private static func read(path: String) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: path + "/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: path + "/stat", encoding: .utf8) else { return nil }
        func kilobytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        // Fields after "(comm)": state is field 3, utime 14, stime 15 (clock ticks).
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let (switches, threads) = contextSwitches(path: path)
        return ProcessSample(residentKB: kilobytes("VmRSS"), peakResidentKB: kilobytes("VmHWM"),
                             anonymousKB: kilobytes("RssAnon"), cpuSeconds: (user + system) / ticks,
                             contextSwitches: switches, threads: threads,
                             threadCPUSeconds: preciseCPUSeconds(taskDirectory: path + "/task") ?? 0)
    }

    /// CPU seconds from `earlier` to this sample: the fine-grained count when it agrees with the ticks
    /// (no thread came or went in between), else the ticks.
    public func cpu(since earlier: ProcessSample) -> Double {
        let ticks = cpuSeconds - earlier.cpuSeconds
        let fine = threadCPUSeconds - earlier.threadCPUSeconds
        return abs(fine - ticks) <= 0.03 + ticks * 0.1 ? fine : ticks
    }

    /// CPU seconds summed over the threads alive now, from `/proc/<pid>/task/*/schedstat` (nanoseconds on
    /// a CPU): fine enough to tell 0.1 % of a core over a few seconds, where `stat`'s ticks are 10 ms.
    public static func preciseCPUSeconds(pid: Int32) -> Double? {
        preciseCPUSeconds(taskDirectory: "/proc/\(pid)/task")
    }

    private static func preciseCPUSeconds(taskDirectory path: String) -> Double? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        var nanoseconds = 0.0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "\(path)/\(task)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let value = Double(first) else { continue }
            nanoseconds += value
        }
        return nanoseconds / 1e9
    }

    /// Sums `voluntary_ctxt_switches` and `nonvoluntary_ctxt_switches` over `/proc/<pid>/task/*/status`.
    /// A thread that ended since the last sample takes its count with it, so compare samples of a process
    /// whose threads live on (Steward's and the echo bot's pools do).
    private static func contextSwitches(path: String) -> (Int, Int) {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: path + "/task") else { return (0, 0) }
        var total = 0
        for task in tasks {
            guard let status = try? String(contentsOfFile: "\(path)/task/\(task)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches:")
                || line.hasPrefix("nonvoluntary_ctxt_switches:") {
                total += Int(line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
            }
        }
        return (total, tasks.count)
    }
}

public struct LoadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension BotProcess {
    /// Between phases: at least 1.5 s (Steward's 1 message/s per chat starts afresh), then until the bot is
    /// idle — under 5 % of a core over a quarter second — so work left from a phase (the last replies'
    /// bookkeeping) does not count against the next one. Returns a line to print when the bot stayed busy long.
    public func settle(after phase: String) async throws -> String? {
        let clock = ContinuousClock()
        let start = clock.now
        try await Task.sleep(for: .milliseconds(1500))
        var previous = ProcessSample.read(pid: pid)?.cpuSeconds ?? 0
        while clock.now - start < .seconds(120) {
            try await Task.sleep(for: .milliseconds(250))
            guard let now = ProcessSample.read(pid: pid)?.cpuSeconds else { return nil }
            if now - previous < 0.0125 {
                let (whole, fraction) = (clock.now - start).components
                let waited = Double(whole) + Double(fraction) / 1e18
                return waited > 2 ? "after the \(phase) \(name) stayed busy for about \(format(duration: waited - 0.25))" : nil
            }
            previous = now
        }
        return "after the \(phase) \(name) was still busy after 120 s; going on"
    }
}
