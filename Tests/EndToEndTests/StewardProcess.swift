import Foundation
import StewardTesting
import Synchronization

/// The built `steward` binary, run as a child process the way a user runs it: its own data directory,
/// configuration through the environment, stdin/stdout pipes, and `kill -9` when a test wants a crash.
final class StewardProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let collected = OutputBuffer()

    static var binary: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/steward")
    }

    /// Starts `steward arguments…` in `directory` (its working directory, so no stray bot.env is read).
    init(_ arguments: [String] = [], environment: [String: String], directory: URL) throws {
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var base = ["PATH": "/usr/bin:/bin", "USER": "tester", "STEWARD_TIMEZONE": "Europe/Berlin",
                    "STEWARD_DATA_DIR": directory.appendingPathComponent("data").path]
        base.merge(environment) { $1 }
        process.environment = base
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = collected.reader { $0.out += $1 }
        errors.fileHandleForReading.readabilityHandler = collected.reader { $0.err += $1 }
        try process.run()
    }

    var stdout: String { collected.state.withLock { $0.out } }
    var stderr: String { collected.state.withLock { $0.err } }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Waits until stdout contains `text` (counting from `after` characters), or fails after `timeout`.
    @discardableResult
    func waitForOutput(_ text: String, after offset: Int = 0, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = stdout
            let tail = String(all.dropFirst(min(offset, all.count)))
            if tail.contains(text) { return tail }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ProcessFailure("timed out waiting for \"\(text)\"; stdout:\n\(stdout)\nstderr:\n\(stderr)")
    }

    /// Sends `line` and waits for the answer to contain `text`; returns only the new output.
    @discardableResult
    func ask(_ line: String, expecting text: String) async throws -> String {
        let offset = stdout.count
        send(line)
        return try await waitForOutput(text, after: offset)
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the process to exit by itself and returns its status.
    func exitStatus(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill9()
                throw ProcessFailure("steward did not exit; stdout:\n\(stdout)\nstderr:\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Everything it printed is in the pipes now. Wait until the handlers have read it all: nothing left
        // unread in either pipe, then no handler in the middle of appending (in that order, so a handler that
        // emptied a pipe is still counted). Not end-of-file: a sibling test's child, spawned meanwhile, may
        // hold a copy of the pipes' write ends until it exits. 30 s: a loaded machine.
        try? await waitUntil(timeout: .seconds(30)) {
            Self.unreadBytes(output) + Self.unreadBytes(errors) == 0 && collected.reading.withLock { $0 } == 0
        }
        return process.terminationStatus
    }

    private static func unreadBytes(_ pipe: Pipe) -> Int32 {
        var count: Int32 = 0
        guard ioctl(pipe.fileHandleForReading.fileDescriptor, UInt(FIONREAD), &count) == 0 else { return 0 }
        return count
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// What the child printed so far; filled from the pipes' reader threads.
final class OutputBuffer: Sendable {
    let state = Mutex<(out: String, err: String)>(("", ""))
    /// Readability handlers running now (reading a pipe or appending what they read).
    let reading = Mutex<Int>(0)

    /// A pipe's readability handler that appends what it reads with `append`. It counts itself while it reads
    /// and appends, so `exitStatus` can tell when everything the child printed is here. No data means
    /// end-of-file: the handler stops.
    func reader(_ append: @escaping @Sendable (inout (out: String, err: String), String) -> Void)
        -> @Sendable (FileHandle) -> Void {
        { [self] handle in
            reading.withLock { $0 += 1 }
            defer { reading.withLock { $0 -= 1 } }
            let data = handle.availableData
            guard !data.isEmpty else { handle.readabilityHandler = nil; return }
            let text = String(decoding: data, as: UTF8.self)
            state.withLock { append(&$0, text) }
        }
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh working directory per test, removed afterwards.
func makeWorkspace() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

