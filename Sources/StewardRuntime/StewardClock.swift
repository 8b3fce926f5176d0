import Foundation
import StewardCore

/// The time Steward plans by: when jobs run, when mail was triaged, quiet hours, the digest's hour,
/// approvals' expiry. The system clock, unless `STEWARD_TEST_CLOCK_FILE` names a file: then it is the
/// ISO 8601 instant written there, read on every call (it is for tests, where speed doesn't matter), so
/// an end-to-end test can move the real binary through an evening and a night in seconds. Deliveries
/// and retries keep real time either way.
public struct StewardClock: Sendable {
    private let file: URL?
    /// A clock handed in by whoever builds the app (an in-process test's manual clock); wins over `file`.
    private let injected: (@Sendable () -> Date)?
    /// The last instant read, kept for a moment when the file is caught half-written.
    private let lastGood = Locked<Date?>(nil)

    public init(file: URL?) {
        self.file = file
        injected = nil
    }

    public init(now: @escaping @Sendable () -> Date) {
        file = nil
        injected = now
    }

    public static let system = StewardClock(file: nil)

    public var isManual: Bool { file != nil || injected != nil }

    public func now() -> Date {
        if let injected { return injected() }
        guard let file else { return Date() }
        let text = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let date = ISO8601DateFormatter().date(from: text) else { return lastGood.withLock { $0 } ?? Date() }
        lastGood.withLock { $0 = date }
        return date
    }
}
