import Foundation

// steward-bench: times Steward's hot paths and prints one line each.
//
//   swift run -c release --package-path Benchmarks steward-bench [--quick] [--check] [name …]
//
// --quick runs a tenth of the iterations (a smoke test); --check exits 1 when a median misses its
// target; names (`intent`, `free`, `ics`, `copy`, `mime`, `mime-hostile`, `rrule`, `plan`) pick benchmarks whose title starts with them.

let arguments = CommandLine.arguments.dropFirst()
let scale = arguments.contains("--quick") ? 0.1 : 1.0
let chosen = arguments.filter { !$0.hasPrefix("--") }.map { $0.lowercased() }

let benchmarks: [(name: String, run: (Double) -> [BenchmarkResult])] = [
    ("intent", { [IntentParseBenchmark().run(scale: $0)] }),
    ("free", { [FreeSlotBenchmark().run(scale: $0)] }),
    ("ics", { [ICSParseBenchmark().run(scale: $0)] }),
    ("copy", { LocalCopyBenchmark().run(scale: $0) }),
    ("triage", { [MailTriageBenchmark().run(scale: $0)] }),
    ("mime", { MimeParseBenchmark().run(scale: $0) }),
    ("mime-hostile", { HostileMimeBenchmark().run(scale: $0) }),
    ("rrule", { RecurrenceBenchmark().run(scale: $0) }),
    ("plan", { [PlanBuildBenchmark().run(scale: $0)] }),
]

var missed = false
for benchmark in benchmarks where chosen.isEmpty || chosen.contains(where: benchmark.name.hasPrefix) {
    for result in benchmark.run(scale) {
        print(result.line)
        fflush(nil)  // one line at a time even when piped
        if !result.metTarget { missed = true }
    }
}

if arguments.contains("--check") && missed {
    print("at least one median missed its target")
    exit(1)
}
