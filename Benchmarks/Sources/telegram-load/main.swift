import Foundation
import LoadSupport

// telegram-load: Steward's full Telegram pipeline under load, against a python-telegram-bot echo bot as
// the baseline. Each bot runs as a child process against a fresh in-process fake Telegram Bot API on
// 127.0.0.1 (`StewardTesting.FakeTelegramServer`); one line per measurement, a summary at the end.
// Usually run through Benchmarks/telegram-load.sh, which builds everything first.

let usage = """
    usage: telegram-load [--steward PATH] [--echo 'COMMAND ARGS…'] [options]

      --steward PATH       the steward binary (run as `steward run` with a scratch data dir)
      --echo COMMAND       the baseline bot's command line, split on spaces (TELEGRAM_API_URL and
                           TELEGRAM_BOT_TOKEN are set for it)
      --users N            distinct users, each in a private chat (default 10000)
      --updates N          updates in the throughput phase, all enqueued at once (default 5000)
      --rate R             offered rate of the latency phase, updates/s (default 200)
      --seconds S          length of the latency phase (default 10)
      --rss-updates N      Steward only: updates fed in total before reading VmRSS (default 100000; 0 = skip)
      --text TEXT          what every user sends (default /help)
      --stall S            fail a phase when no reply arrives for S seconds (default 60)
      --max-minutes M      hard time limit for the whole run; children are killed (default 60)
      --keep               keep the scratch directories (logs, Steward's database)
      --csv DIR            write each phase's per-update times to DIR/<bot>-<phase>.csv
      --steward-env K=V    add K=V to Steward's environment (repeatable; to try a setting)
      --slow-neighbour S   Steward only: repeat the latency phase while one other user's model run takes S
                           seconds (a fake model); the two p99s should match
      --idle-seconds S     watch the bot at rest for S seconds after it starts polling: CPU, RSS (default 5; 0 = skip)
      --check              exit 1 when a target is missed
    """

var options = Options()
var stewardPath: String?
var echoCommand: [String]?
var check = false
var maxMinutes = 60.0

var arguments = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let next = arguments.popFirst() else {
        print("telegram-load: \(flag) needs a value\n\n\(usage)")
        exit(2)
    }
    return next
}
@MainActor func number(_ flag: String) -> Double {
    let text = value(flag)
    guard let parsed = Double(text), parsed >= 0 else {
        print("telegram-load: \(flag) expects a non-negative number, got \(text)")
        exit(2)
    }
    return parsed
}

while let argument = arguments.popFirst() {
    switch argument {
    case "--steward": stewardPath = value(argument)
    case "--echo": echoCommand = value(argument).split(separator: " ").map(String.init)
    case "--users": options.users = max(1, Int(number(argument)))
    case "--updates": options.updates = max(1, Int(number(argument)))
    case "--rate": options.rate = max(1, number(argument))
    case "--seconds": options.seconds = max(0.1, number(argument))
    case "--rss-updates": options.rssUpdates = Int(number(argument))
    case "--text": options.text = value(argument)
    case "--stall": options.stallSeconds = max(1, number(argument))
    case "--max-minutes": maxMinutes = max(1, number(argument))
    case "--keep": options.keep = true
    case "--csv": options.csvDirectory = value(argument)
    case "--steward-env":
        let pair = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, !pair[0].isEmpty else {
            print("telegram-load: --steward-env expects KEY=VALUE")
            exit(2)
        }
        options.stewardEnvironment[pair[0]] = pair[1]
    case "--slow-neighbour": options.slowModelSeconds = max(1, number(argument))
    case "--idle-seconds": options.idleSeconds = number(argument)
    case "--check": check = true
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        print("telegram-load: unknown argument \(argument)\n\n\(usage)")
        exit(2)
    }
}
// Every phase gives each chat at most one update (so an answer is matched to its update even when a bot
// sends something twice, and Steward's 1 message/s per chat never throttles a phase): enough users.
let neededUsers = max(options.updates, Int(options.rate * options.seconds))
if options.users < neededUsers {
    print("telegram-load: --users raised to \(neededUsers) so that no chat gets two updates in one phase")
    options.users = neededUsers
}
guard stewardPath != nil || echoCommand != nil else {
    print("telegram-load: give --steward, --echo or both\n\n\(usage)")
    exit(2)
}

let signalSources = installSignalHandlers()
let limit = maxMinutes
Task.detached { [limit] in
    try? await Task.sleep(for: .seconds(limit * 60))
    print("telegram-load: the run took longer than \(limit) minutes; stopping")
    Children.shared.killAll()
    exit(3)
}

print("telegram-load: \(options.users) users, \(options.updates) updates for throughput, "
      + "\(Int(options.rate * options.seconds)) at \(format(rate: options.rate))/s for latency, "
      + "text \"\(options.text)\"")

var steward: BotResult?
var echo: BotResult?
if let stewardPath {
    steward = await BotRun(name: "steward", isSteward: true, command: [stewardPath, "run"], options: options).run()
}
if let echoCommand {
    echo = await BotRun(name: "echo", isSteward: false, command: echoCommand, options: options).run()
}

// MARK: - Summary

var missed: [String] = []
print("")
print("summary:")
for result in [steward, echo].compactMap({ $0 }) {
    if let failure = result.failure { print("  \(result.name): FAILED — \(failure.split(separator: "\n").first ?? "")") }
    if let throughput = result.throughput { print("  \(result.name): \(format(rate: throughput)) updates/s") }
    if result.duplicates > 0 { print("  \(result.name): \(result.duplicates) DUPLICATE messages (an update answered more than once)") }
}
if let stewardRate = steward?.throughput, let echoRate = echo?.throughput {
    let ratio = stewardRate / echoRate
    let met = ratio >= 3
    if !met { missed.append("throughput ratio") }
    print("  ratio steward/echo: " + String(format: "%.2f", ratio) + "× (target ≥ 3×: \(met ? "met" : "MISSED"))")
}
if let steward, let latency = steward.latency {
    let met = latency.p99 < 0.020
    if !met { missed.append("p99 latency") }
    print("  steward at \(format(rate: options.rate)) updates/s: p50 \(format(duration: latency.p50)) "
          + "p99 \(format(duration: latency.p99)) (target p99 < 20 ms: \(met ? "met" : "MISSED"))")
}
if let steward, let beside = steward.latencyBesideSlowModel {
    let met = beside.p99 < 0.050
    if !met { missed.append("p99 beside a slow model run") }
    print("  steward at \(format(rate: options.rate)) updates/s beside another user's slow model run: p50 "
          + "\(format(duration: beside.p50)) p99 \(format(duration: beside.p99)) (target p99 < 50 ms: \(met ? "met" : "MISSED"))")
}
if let rss = steward?.rss {
    let met = rss.residentMB < 60
    if !met { missed.append("RSS") }
    print("  steward RSS after \(rss.updates) updates: \(format(megabytes: rss.residentMB)) "
          + "(peak \(format(megabytes: rss.peakMB)); target < 60 MB: \(met ? "met" : "MISSED"))")
}
if let echo, let latency = echo.latency {
    print("  echo at \(format(rate: options.rate)) updates/s: p50 \(format(duration: latency.p50)) p99 \(format(duration: latency.p99))"
          + (echo.residentMB.map { ", RSS \(format(megabytes: $0))" } ?? ""))
}

// Cost per message (issue 19): both bots side by side, then the targets.
func cell(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "—" }
let bots = [steward, echo].compactMap { $0 }
print("")
print("cost per update (CPU = the bot's process CPU time over the updates it handled):")
print("  " + "bot".padding(toLength: 9, withPad: " ", startingAt: 0)
      + " updates/s  CPU µs burst  CPU µs paced  switches burst  switches paced  paced p50  paced p99  RSS idle  RSS after  idle CPU")
for bot in bots {
    let columns = [
        cell(bot.throughput, "%.0f"), cell(bot.burst?.microsecondsPerUpdate, "%.0f"), cell(bot.paced?.microsecondsPerUpdate, "%.0f"),
        cell(bot.burst?.switchesPerUpdate, "%.1f"), cell(bot.paced?.switchesPerUpdate, "%.1f"),
        bot.latency.map { format(duration: $0.p50) } ?? "—", bot.latency.map { format(duration: $0.p99) } ?? "—",
        bot.idle.map { format(megabytes: $0.residentMB) } ?? "—", bot.residentMB.map { format(megabytes: $0) } ?? "—",
        bot.idle.map { String(format: "%.3f%%", $0.cpuPercent) } ?? "—",
    ]
    let widths = [10, 13, 13, 15, 15, 10, 10, 9, 10, 9]
    print("  " + bot.name.padding(toLength: 9, withPad: " ", startingAt: 0)
          + zip(columns, widths).map { String(repeating: " ", count: max(1, $1 - $0.count + 1)) + $0 }.joined())
}
@MainActor func target(_ name: String, _ met: Bool, _ detail: String) {
    if !met { missed.append(name) }
    print("  \(name): \(detail) (\(met ? "met" : "MISSED"))")
}
if let steward {
    print("issue 19 targets:")
    if let mine = steward.burst, let theirs = echo?.burst {
        target("CPU/update burst ≤ 1/5 of the echo bot's", mine.microsecondsPerUpdate * 5 <= theirs.microsecondsPerUpdate,
               String(format: "%.0f vs %.0f µs = 1/%.1f", mine.microsecondsPerUpdate, theirs.microsecondsPerUpdate,
                      theirs.microsecondsPerUpdate / mine.microsecondsPerUpdate))
    }
    if let mine = steward.paced, let theirs = echo?.paced {
        target("CPU/update paced ≤ 1/5 of the echo bot's", mine.microsecondsPerUpdate * 5 <= theirs.microsecondsPerUpdate,
               String(format: "%.0f vs %.0f µs = 1/%.1f", mine.microsecondsPerUpdate, theirs.microsecondsPerUpdate,
                      theirs.microsecondsPerUpdate / mine.microsecondsPerUpdate))
    }
    if let latency = steward.latency {
        target("paced p99 ≤ 10 ms", latency.p99 <= 0.010, format(duration: latency.p99))
    }
    if let idle = steward.idle {
        target("idle CPU ≤ 0.2% of a core", idle.cpuPercent <= 0.2, String(format: "%.3f%%", idle.cpuPercent))
        target("RSS idle after start ≤ 35 MB", idle.residentMB <= 35, format(megabytes: idle.residentMB))
    }
    if let rss = steward.rss {
        target("RSS after 100,000 updates ≤ 50 MB", rss.updates >= 100_000 && rss.residentMB <= 50,
               "\(format(megabytes: rss.residentMB)) after \(rss.updates)")
    }
}
fflush(nil)
_ = signalSources
let failed = [steward, echo].contains { $0?.failure != nil }
exit(failed ? 1 : (check && !missed.isEmpty ? 1 : 0))
