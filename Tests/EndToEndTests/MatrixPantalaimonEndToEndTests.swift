import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// Encrypted DMs through a real Pantalaimon: the user's client (matrix-nio with E2EE) sends an encrypted
/// message through the real Synapse, Steward behind Pantalaimon answers, and the client decrypts the answer.
/// Pantalaimon lives in `.venv-pantalaimon`, the client in `.venv-matrix` (both installed by
/// `scripts/matrix-test-server.sh start`); a missing install fails the test, it never skips.
@Suite struct MatrixPantalaimonEndToEndTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func anEncryptedDirectMessageThroughPantalaimonIsAnsweredAndTheAnswerDecrypts() async throws {
        let synapse = try await Synapse.running()
        let venv = Self.root.appendingPathComponent(".venv-pantalaimon/bin")
        let pantalaimon = venv.appendingPathComponent("pantalaimon")
        guard FileManager.default.isExecutableFile(atPath: pantalaimon.path) else {
            throw ProcessFailure("no Pantalaimon in \(venv.path): run `scripts/matrix-test-server.sh start`, which installs it")
        }
        let bot = try await synapse.register("steward")
        let owner = try await synapse.register("ana")
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }

        let proxy = try Pantalaimon(executable: pantalaimon, homeserver: synapse.url, in: workspace)
        defer { proxy.stop() }
        try await proxy.waitUntilServing()

        let httpPort = try freeLoopbackPort()
        let steward = try StewardProcess(environment: [
            "MATRIX_HOMESERVER_URL": proxy.url.absoluteString,
            "MATRIX_USER_ID": bot.userID, "MATRIX_PASSWORD": bot.password,
            "STEWARD_SECRET_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "STEWARD_OWNERS": owner.identity, "STEWARD_HTTP_PORT": "\(httpPort)", "STEWARD_LOG_LEVEL": "info",
        ], directory: workspace)
        defer { steward.kill9() }
        let health = URL(string: "http://127.0.0.1:\(httpPort)/healthz")!
        try await waitUntil(timeout: .seconds(30)) {
            ((try? await URLSession.shared.data(from: health))?.1 as? HTTPURLResponse)?.statusCode == 200
        }

        let script = Self.root.appendingPathComponent("Tests/Support/matrix/encrypted_dm.py")
        let python = Self.root.appendingPathComponent(".venv-matrix/bin/python")
        let (status, output) = try await runToEnd(python, [
            script.path, synapse.url.absoluteString, owner.userID, owner.password, bot.userID, "/help", "/today",
        ])
        #expect(status == 0, "\(output)\nsteward stderr:\n\(steward.stderr.suffix(3000))\npantalaimon:\n\(proxy.log.suffix(3000))")
        #expect(output.contains("OK Here's what I can do"))

        // Behind Pantalaimon Steward read everything: nothing counted as undecryptable.
        let metrics = URL(string: "http://127.0.0.1:\(httpPort)/metrics")!
        let (data, _) = try await URLSession.shared.data(from: metrics)
        let unread = String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("steward_matrix_undecryptable_events") && !$0.hasSuffix(" 0") }
        #expect(unread.isEmpty, "\(unread)")
    }
}

/// A real Pantalaimon on a free loopback port in front of `homeserver`, with its data in `directory`.
final class Pantalaimon: @unchecked Sendable {
    let url: URL
    private let process = Process()
    private let logFile: URL

    init(executable: URL, homeserver: URL, in directory: URL) throws {
        let port = try freeLoopbackPort()
        url = URL(string: "http://127.0.0.1:\(port)")!
        // An absolute data path: Pantalaimon resolves a relative one against two different directories.
        let data = directory.appendingPathComponent("pantalaimon", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("pantalaimon.conf")
        // IgnoreVerification: Steward can't verify devices interactively; it shares its keys with every device.
        try """
            [Default]
            LogLevel = Warning

            [local]
            Homeserver = \(homeserver.absoluteString)
            ListenAddress = 127.0.0.1
            ListenPort = \(port)
            SSL = False
            UseKeyring = False
            IgnoreVerification = True

            """.write(to: config, atomically: true, encoding: .utf8)
        logFile = directory.appendingPathComponent("pantalaimon.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = executable
        process.arguments = ["-c", config.path, "--data-path", data.path]
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func waitUntilServing() async throws {
        let versions = url.appendingPathComponent("_matrix/client/versions")
        do {
            try await waitUntil(timeout: .seconds(30)) {
                ((try? await URLSession.shared.data(from: versions))?.1 as? HTTPURLResponse)?.statusCode == 200
            }
        } catch {
            throw ProcessFailure("Pantalaimon did not serve \(versions) within 30 s:\n\(log.suffix(3000))")
        }
    }

    /// SIGKILL: Pantalaimon ignores SIGTERM, and its state is thrown away with the workspace anyway.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Runs `executable arguments…` to its end (at most `timeout`) and returns its exit status and output.
func runToEnd(_ executable: URL, _ arguments: [String], timeout: Duration = .seconds(90)) async throws -> (Int32, String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = OutputBuffer()
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    // Read while it runs: a full pipe would stall a chatty child until the deadline.
    pipe.fileHandleForReading.readabilityHandler = { handle in
        let text = String(decoding: handle.availableData, as: UTF8.self)
        output.state.withLock { $0.out += text }
    }
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            process.terminate()
            throw ProcessFailure("\(executable.lastPathComponent) did not finish within \(timeout):\n\(output.state.withLock { $0.out })")
        }
        try await Task.sleep(for: .milliseconds(50))
    }
    pipe.fileHandleForReading.readabilityHandler = nil
    let rest = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (process.terminationStatus, output.state.withLock { $0.out } + rest)
}
