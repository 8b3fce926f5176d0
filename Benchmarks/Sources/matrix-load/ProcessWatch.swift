import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `/proc` says about a process: CPU seconds, resident memory, context switches over its threads.
struct ProcessSample: Sendable {
    var cpuSeconds: Double
    /// Summed over the threads alive now (schedstat, nanoseconds): fine-grained, but a thread that ended
    /// took its share with it.
    var threadCPUSeconds: Double
    var residentKB: Int
    var contextSwitches: Int
    var threads: Int

    var residentMB: Double { Double(residentKB) / 1024 }

    /// CPU seconds from `earlier` to this sample: the fine-grained count when it agrees with the ticks
    /// (no thread came or went), else the ticks.
    func cpu(since earlier: ProcessSample) -> Double {
        let ticks = cpuSeconds - earlier.cpuSeconds
        let fine = threadCPUSeconds - earlier.threadCPUSeconds
        return abs(fine - ticks) <= 0.03 + ticks * 0.1 ? fine : ticks
    }

    static func read(pid: Int32) -> ProcessSample? {
        let path = "/proc/\(pid)"
        guard let status = try? String(contentsOfFile: path + "/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: path + "/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": utime is the 12th, stime the 13th (clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        var switches = 0
        var nanoseconds = 0.0
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: path + "/task")) ?? []
        for task in tasks {
            // schedstat's first field: nanoseconds on a CPU, where stat's ticks are 10 ms (a few hundred µs per
            // message in a short phase).
            if let text = try? String(contentsOfFile: "\(path)/task/\(task)/schedstat", encoding: .utf8),
               let first = text.split(separator: " ").first, let value = Double(first) { nanoseconds += value }
            guard let text = try? String(contentsOfFile: "\(path)/task/\(task)/status", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches:")
                || line.hasPrefix("nonvoluntary_ctxt_switches:") {
                switches += Int(line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
            }
        }
        return ProcessSample(cpuSeconds: (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))),
                             threadCPUSeconds: nanoseconds / 1e9, residentKB: rss,
                             contextSwitches: switches, threads: tasks.count)
    }
}

/// The steward binary in a process of its own, in a scratch directory, logging into a file; SIGTERM then
/// SIGKILL when stopped.
final class BotProcess: @unchecked Sendable {
    let logURL: URL
    private let process = Process()

    init(executable: String, environment: [String: String], directory: URL) throws {
        logURL = directory.appendingPathComponent("steward.log")
        process.executableURL = URL(fileURLWithPath: executable).standardizedFileURL
        process.arguments = ["run"]
        process.environment = environment
        process.currentDirectoryURL = directory
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
    }

    func start() throws {
        // Swift concurrency's threads block most signals and a child inherits the mask: unblock for the child.
        var unblocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        runningChild.withLock { $0 = process.processIdentifier }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func stop() async {
        defer { runningChild.withLock { $0 = nil } }
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    func logTail(_ count: Int = 20) -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}

let runningChild = NSLockedValue<Int32?>(nil)

final class NSLockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

/// Kills the bot and exits on SIGINT or SIGTERM.
func installSignalHandlers() -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if let pid = runningChild.withLock({ $0 }) { kill(pid, SIGKILL) }
            exit(130)
        }
        source.resume()
        return source
    }
}

/// A TCP port on 127.0.0.1 nobody listens on right now.
func freeLoopbackPort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { throw LoadError("socket() failed") }
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
        }
    }
    guard bound else { throw LoadError("could not bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Nearest-rank percentile of durations in seconds.
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func milliseconds(_ seconds: Double) -> String { seconds.isNaN ? "n/a" : String(format: "%.1f ms", seconds * 1000) }

/// One line, out at once even into a file or pipe (a run takes minutes; its lines should show as they come).
func say(_ text: String) {
    print(text)
    fflush(nil)
}
