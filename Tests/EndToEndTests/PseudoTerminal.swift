#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The built `steward` on a pseudo-terminal, as a person at a keyboard runs it: its stdin, stdout and
/// stderr are the terminal's slave side, so `isatty` is true and the line discipline echoes what is typed
/// unless the program turns echo off. The test reads the screen (the master side) and types into it.
final class TerminalSession: @unchecked Sendable {
    let process = Process()
    private let master: Int32
    private let screenText = OutputBuffer()

    init(_ arguments: [String], environment: [String: String], directory: URL) throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0, PTY.grant(master) == 0, PTY.unlock(master) == 0, let name = PTY.name(master) else {
            throw ProcessFailure("no pseudo-terminal: errno \(errno)")
        }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw ProcessFailure("cannot open \(String(cString: name)): errno \(errno)") }
        let slaveHandle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.executableURL = StewardProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var base = ["PATH": "/usr/bin:/bin", "USER": "tester", "TERM": "dumb"]
        base.merge(environment) { $1 }
        process.environment = base
        process.standardInput = slaveHandle
        process.standardOutput = slaveHandle
        process.standardError = slaveHandle
        try process.run()
        try slaveHandle.close()  // the child holds its own copies; reading ends with EIO once it exits
        let reader = Thread { [master, screenText] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                screenText.state.withLock { $0.out += text }
            }
        }
        reader.start()
    }

    var screen: String { screenText.state.withLock { $0.out } }

    /// Types `line` and Enter.
    func type(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until the screen shows `text` after `offset` characters; returns the screen from there.
    @discardableResult
    func waitFor(_ text: String, after offset: Int = 0, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let tail = String(screen.dropFirst(offset))
            if tail.contains(text) { return tail }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProcessFailure("timed out waiting for \"\(text)\"; screen:\n\(screen)")
    }

    /// Waits for the question `prompt` (counted after what was already answered), then types `answer`.
    func answer(_ prompt: String, with answer: String, after offset: inout Int) async throws {
        try await waitFor(prompt, after: offset)
        offset = screen.count
        type(answer)
    }

    func exitStatus(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw ProcessFailure("steward did not exit; screen:\n\(screen)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        close(master)
    }
}

/// Runs `steward arguments…` to the end with stdin from `input` (nil: `/dev/null`, as under systemd or
/// `docker run` without `-i`); returns its status and output.
func runSteward(_ arguments: [String], environment: [String: String] = [:], directory: URL,
                input: FileHandle? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = StewardProcess.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var base = ["PATH": "/usr/bin:/bin", "USER": "tester", "STEWARD_TIMEZONE": "Europe/Berlin",
                "STEWARD_DATA_DIR": directory.appendingPathComponent("data").path]
    base.merge(environment) { $1 }
    process.environment = base
    let output = directory.appendingPathComponent("out-\(UUID().uuidString)")
    let errors = directory.appendingPathComponent("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    FileManager.default.createFile(atPath: errors.path, contents: nil)
    process.standardInput = input ?? FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    let deadline = ContinuousClock.now + .seconds(60)
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessFailure("steward \(arguments) did not exit")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    let out = try String(contentsOf: output, encoding: .utf8)
    let err = try String(contentsOf: errors, encoding: .utf8)
    try? FileManager.default.removeItem(at: output)
    try? FileManager.default.removeItem(at: errors)
    return (process.terminationStatus, out, err)
}

/// `grantpt`, `unlockpt` and `ptsname` are in the C library but not in Swift's Glibc module (they need
/// `_XOPEN_SOURCE`), so they are looked up by name, as `main.swift` does for `mallopt`.
private enum PTY {
    typealias IntCall = @convention(c) (Int32) -> Int32
    typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let found = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("no \(name) in libc") }
        return unsafeBitCast(found, to: type)
    }

    static func grant(_ fd: Int32) -> Int32 { symbol("grantpt", as: IntCall.self)(fd) }
    static func unlock(_ fd: Int32) -> Int32 { symbol("unlockpt", as: IntCall.self)(fd) }
    static func name(_ fd: Int32) -> UnsafeMutablePointer<CChar>? { symbol("ptsname", as: NameCall.self)(fd) }
}
