import Foundation

/// A value behind an `NSLock`, for state a few synchronous calls share across tasks and threads (not
/// `Synchronization.Mutex`, which needs macOS 15 while the package supports macOS 14).
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
