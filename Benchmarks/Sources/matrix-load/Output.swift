import Foundation
import LoadSupport
import LoadSupport

// What matrix-load prints. The steward process, `/proc` samples, signals and a free port come from
// LoadSupport (shared with telegram-load and slack-load).

/// Nearest-rank percentile of durations in seconds (`Distribution`'s).
func percentile(_ values: [Double], _ fraction: Double) -> Double { Distribution(values).percentile(fraction) }

func milliseconds(_ seconds: Double) -> String { seconds.isNaN ? "n/a" : String(format: "%.1f ms", seconds * 1000) }

/// One line, out at once even into a file or pipe (a run takes minutes; its lines should show as they come).
func say(_ text: String) {
    print(text)
    fflush(nil)
}
