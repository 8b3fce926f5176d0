import Foundation
import LoadSupport

// slack-load: Steward's whole Slack Events API path under load — signed `event_callback` DMs POSTed to
// the real `steward` binary's `/slack/events`, verified, stored, decided, put in the outbox and sent as
// `chat.postMessage` to the in-process fake Slack Web API (`StewardTesting.FakeSlackServer`). One line per
// measurement, a summary at the end. BotProcess.swift and Statistics.swift are telegram-load's (symlinks).

let usage = """
    usage: slack-load --steward PATH [options]

      --steward PATH       the steward binary (run as `steward run` with a scratch data dir)
      --events N           events in the burst phase (default 5000)
      --concurrency C      POSTs in flight at once in the burst (default 64)
      --rate R             offered rate of the paced phase, events/s (default 200)
      --seconds S          length of the paced phase (default 10)
      --text TEXT          what every user writes (default /help)
      --idle-seconds S     watch Steward at rest for S seconds after it listens (default 3; 0 = skip)
      --stall S            fail a phase when nothing reaches the fake for S seconds (default 60)
      --steward-env K=V    add K=V to Steward's environment (repeatable)
      --keep               keep the scratch directory (log, database)
    """

var options = Options()
var stewardPath: String?
var arguments = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let next = arguments.popFirst() else {
        print("slack-load: \(flag) needs a value\n\n\(usage)")
        exit(2)
    }
    return next
}
@MainActor func number(_ flag: String) -> Double {
    let text = value(flag)
    guard let parsed = Double(text), parsed >= 0 else {
        print("slack-load: \(flag) expects a non-negative number, got \(text)")
        exit(2)
    }
    return parsed
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--steward": stewardPath = value(argument)
    case "--events": options.burst = max(1, Int(number(argument)))
    case "--concurrency": options.concurrency = max(1, Int(number(argument)))
    case "--rate": options.rate = max(1, number(argument))
    case "--seconds": options.seconds = max(0.1, number(argument))
    case "--text": options.text = value(argument)
    case "--idle-seconds": options.idleSeconds = number(argument)
    case "--stall": options.stallSeconds = max(1, number(argument))
    case "--keep": options.keep = true
    case "--steward-env":
        let pair = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, !pair[0].isEmpty else {
            print("slack-load: --steward-env expects KEY=VALUE")
            exit(2)
        }
        options.stewardEnvironment[pair[0]] = pair[1]
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        print("slack-load: unknown argument \(argument)\n\n\(usage)")
        exit(2)
    }
}
guard let stewardPath else {
    print("slack-load: give --steward PATH\n\n\(usage)")
    exit(2)
}

let signalSources = installSignalHandlers()
Task.detached {
    try? await Task.sleep(for: .seconds(30 * 60))
    print("slack-load: the run took longer than 30 minutes; stopping")
    Children.shared.killAll()
    exit(3)
}

print("slack-load: \(options.burst) events in a burst (\(options.concurrency) in flight), "
      + "\(Int(options.rate * options.seconds)) at \(format(rate: options.rate))/s paced, text \"\(options.text)\"")
let result = await SlackRun(command: [stewardPath, "run"], options: options).run()

func cell(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "—" }
print("")
print("summary (CPU = Steward's process CPU time over the events it handled):")
if let failure = result.failure { print("  FAILED — \(failure.split(separator: "\n").first ?? "")") }
print("  events/s (burst)           \(cell(result.eventsPerSecond, "%.0f"))")
print("  CPU µs/event burst, paced  \(cell(result.burst?.microsecondsPerEvent, "%.0f")), \(cell(result.paced?.microsecondsPerEvent, "%.0f"))")
print("  events per CPU-second      \(cell(result.burst?.eventsPerCPUSecond, "%.0f")) burst, \(cell(result.paced?.eventsPerCPUSecond, "%.0f")) paced")
print("  switches/event             \(cell(result.burst?.switchesPerEvent, "%.1f")) burst, \(cell(result.paced?.switchesPerEvent, "%.1f")) paced")
if let latency = result.latency {
    print("  paced POST → postMessage   p50 \(format(duration: latency.p50)) p99 \(format(duration: latency.p99))")
}
if let ack = result.acknowledgement {
    print("  paced POST → 200           p50 \(format(duration: ack.p50)) p99 \(format(duration: ack.p99))")
}
print("  RSS idle, after            \(result.idleMB.map { format(megabytes: $0) } ?? "—"), \(result.residentMB.map { format(megabytes: $0) } ?? "—")")
print("  idle CPU                   \(cell(result.idleCPUPercent, "%.3f"))% of one core")
fflush(nil)
_ = signalSources
exit(result.failure == nil ? 0 : 1)
