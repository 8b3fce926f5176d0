import Foundation
import StewardCore

/// The deterministic intent parser over a mix of commands and free text people actually send.
struct IntentParseBenchmark {
    let inputs: [InboundEvent.Kind] = [
        .message("what's on tomorrow?"),
        .message("am I free friday at 3pm"),
        .message("find 45 minutes next week with ana@example.com"),
        .message("book lunch with Ana on Thursday at 12:30 for an hour"),
        .message("approve"),
        .message("thanks! can you also check my inbox"),
        .command(name: "free", arguments: "30m tomorrow with bob@example.com,carol@example.org"),
        .command(name: "book", arguments: "Design review friday 15:00 for 90m"),
        .command(name: "agenda", arguments: "next monday"),
        .command(name: "settings", arguments: "hours 09:00-18:00"),
    ]

    func run(scale: Double) -> BenchmarkResult {
        let parser = IntentParser()
        // Monday 23 Nov 2026, 10:00 in Berlin.
        let context = ParseContext(now: Date(timeIntervalSince1970: 1_795_424_400),
                                   timeZone: TimeZone(identifier: "Europe/Berlin")!)
        return measure(name: "intent parse \(inputs.count) messages", target: .microseconds(20), warmUp: 200,
                       iterations: Int(5_000 * scale), perSample: inputs.count, unit: " per message") {
            var checksum = 0
            for input in inputs {
                checksum &+= parser.parse(input, context: context).hashValue
            }
            return checksum
        }
    }
}
