import Foundation

/// A condition a test waited for that did not come true in time.
public struct ConditionTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Polls `condition` every 30 ms until it holds; throws `ConditionTimeout` after `timeout`.
public func waitUntil(timeout: Duration = .seconds(20), _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(30))
    }
    throw ConditionTimeout(description: "condition not met within \(timeout)")
}
