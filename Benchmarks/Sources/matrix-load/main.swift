import Foundation
import LoadSupport

// matrix-load: Steward's whole Matrix path against the real test Synapse (scripts/matrix-test-server.sh):
// users' messages → Synapse → Steward's /sync → stored → answered → Synapse → the users' /sync. Prints
// Steward's CPU µs and context switches per message (from /proc), send→answer latency, RSS, and Synapse's
// own CPU beside it. Several --steward binaries run in alternation, --rounds times. See README.md.

let usage = """
    usage: matrix-load --steward PATH [--steward PATH…] [options]   (run from the repository or Benchmarks/)

      --steward PATH   a steward binary; give two or more to compare them in alternating runs
      --rounds N       runs of each binary, alternating (default 1)
      --users N        users, each in a DM with the bot (default 4)
      --burst N        messages sent at once, spread over the users (default 200)
      --rate R         offered rate of the paced phase, messages/s (default 10)
      --seconds S      length of the paced phase (default 10)
      --text TEXT      what every user sends (default /help)
      --keep           keep Steward's scratch directories (log, database)
    """

var options = Options()
var binaries: [String] = []
var rounds = 1
var arguments = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let next = arguments.popFirst() else {
        say("matrix-load: \(flag) needs a value\n\n\(usage)")
        exit(2)
    }
    return next
}
@MainActor func number(_ flag: String) -> Double {
    let text = value(flag)
    guard let parsed = Double(text), parsed > 0 else {
        say("matrix-load: \(flag) expects a positive number, got \(text)")
        exit(2)
    }
    return parsed
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--steward": binaries.append(value(argument))
    case "--rounds": rounds = Int(number(argument))
    case "--users": options.users = Int(number(argument))
    case "--burst": options.burst = Int(number(argument))
    case "--rate": options.rate = number(argument)
    case "--seconds": options.seconds = number(argument)
    case "--text": options.text = value(argument)
    case "--keep": options.keep = true
    case "-h", "--help":
        say(usage)
        exit(0)
    default:
        say("matrix-load: unknown option \(argument)\n\n\(usage)")
        exit(2)
    }
}
guard !binaries.isEmpty else {
    say(usage)
    exit(2)
}

/// The repository root: the nearest directory up from here with `.build-matrix` or `scripts/matrix-test-server.sh`.
func repositoryRoot() -> URL {
    var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("scripts/matrix-test-server.sh").path) {
            return directory
        }
        directory.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

let signalSources = installSignalHandlers()
let exitCode: Int32 = await {
    do {
        let server = try Homeserver.load(root: repositoryRoot())
        _ = try await server.request("GET", "/health", token: nil)
        let admin = try await server.register("admin-\(UUID().uuidString.prefix(6).lowercased())", admin: true)
        say("Synapse \(server.url) (pid \(server.pid.map(String.init) ?? "?")); \(options.users) users, burst \(options.burst), "
              + "paced \(options.rate)/s for \(options.seconds) s, \(rounds) round(s) of \(binaries.count) binary(ies)")
        var results: [RunResult] = []
        for round in 1...rounds {
            for (index, binary) in binaries.enumerated() {
                let label = "\(round).\(index + 1) \(URL(fileURLWithPath: binary).lastPathComponent)"
                results.append(try await runOnce(binary: binary, label: label, server: server, admin: admin, options: options))
            }
        }
        say("\n== medians per binary (Steward CPU µs/msg, ctx switches/msg, p50/p99 ms; Synapse CPU µs/msg)")
        for binary in binaries {
            let runs = results.filter { $0.binary == binary }
            func row(_ name: String, _ phase: (RunResult) -> PhaseResult) -> String {
                let phases = runs.map(phase)
                return String(format: "  %@ %5.0f µs %6.1f sw  p50 %6.1f p99 %6.1f  Synapse %5.0f µs  (runs: %@)", name,
                              median(phases.map(\.cpuMicrosPerMessage)), median(phases.map(\.switchesPerMessage)),
                              median(phases.map { percentile($0.latencies.sorted(), 0.5) * 1000 }),
                              median(phases.map { percentile($0.latencies.sorted(), 0.99) * 1000 }),
                              median(phases.compactMap(\.synapseMicrosPerMessage)),
                              phases.map { String(format: "%.0f", $0.cpuMicrosPerMessage) }.joined(separator: ","))
            }
            say(binary)
            say(row("burst", \.burst))
            say(row("paced", \.paced))
            say(String(format: "  RSS after the run %.1f MB (median)", median(runs.map(\.residentMB))))
        }
        return 0
    } catch {
        say("matrix-load: \(error)")
        return 1
    }
}()
_ = signalSources
exit(exitCode)
