import Foundation

/// A sorted sample of durations in seconds, with nearest-rank percentiles.
public struct Distribution: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) { sorted = values.sorted() }

    public var count: Int { sorted.count }

    /// Nearest rank: the smallest value with at least `fraction` of the sample at or below it.
    public func percentile(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    public var p50: Double { percentile(0.5) }
    public var p99: Double { percentile(0.99) }

    public var summary: String {
        guard !sorted.isEmpty else { return "no samples" }
        return "p50 \(format(duration: p50)) p90 \(format(duration: percentile(0.9))) "
            + "p99 \(format(duration: p99)) max \(format(duration: sorted[sorted.count - 1]))"
    }
}

public func format(duration seconds: Double) -> String {
    if seconds.isNaN { return "n/a" }
    if seconds < 0.01 { return String(format: "%.2f ms", seconds * 1000) }
    if seconds < 1 { return String(format: "%.1f ms", seconds * 1000) }
    return String(format: "%.2f s", seconds)
}

public func format(rate: Double) -> String { String(format: "%.0f", rate) }

public func format(megabytes: Double) -> String { String(format: "%.1f MB", megabytes) }
