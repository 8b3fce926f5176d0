import Foundation

/// What one benchmark measured: per-item timings summarised as median and 90th percentile.
struct BenchmarkResult {
    var name: String
    var median: Duration
    var p90: Duration
    var target: Duration
    /// ` per message` when each sample covers several items and was divided by their number.
    var unit: String = ""
    /// Extra facts that make the number meaningful (e.g. how many slots the search found).
    var note: String = ""

    var metTarget: Bool { median < target }

    /// `free-slot search …: median 1.23 ms p90 1.40 ms (target < 5 ms)`
    var line: String {
        let extra = note.isEmpty ? "" : ", \(note)"
        return "\(name): median \(Self.format(median)) p90 \(Self.format(p90))\(unit) "
            + "(target < \(Self.format(target, digits: 0))\(extra))"
    }

    static func format(_ duration: Duration, digits: Int = 2) -> String {
        let seconds = duration.seconds
        let (value, suffix) = seconds < 1e-3 ? (seconds * 1e6, "µs") : seconds < 1 ? (seconds * 1e3, "ms") : (seconds, "s")
        return String(format: "%.\(digits)f %@", value, suffix)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// Runs `body` `warmUp` times untimed, then `iterations` times timed with `ContinuousClock`.
/// `body` returns something derived from its work so the optimiser cannot drop it; `perSample` divides
/// each timing when one call processes several items.
func measure(name: String, target: Duration, warmUp: Int, iterations: Int, perSample: Int = 1, unit: String = "",
             note: String = "", _ body: () -> Int) -> BenchmarkResult {
    var sink = 0
    for _ in 0..<warmUp { sink &+= body() }
    let clock = ContinuousClock()
    var samples: [Duration] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<max(iterations, 1) {
        let elapsed = clock.measure { sink &+= body() }
        samples.append(elapsed / perSample)
    }
    samples.sort()
    // Printing nothing visible, but the compiler must assume it might.
    if sink == .min { print("") }
    return BenchmarkResult(name: name, median: samples[samples.count / 2],
                           p90: samples[min(samples.count - 1, samples.count * 9 / 10)],
                           target: target, unit: unit, note: note)
}

/// SplitMix64: a tiny seeded generator, so every run measures the same data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
