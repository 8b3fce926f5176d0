import Foundation
import StewardCore

/// A `StateRepository` in memory, with a history of writes so tests can see when a key changed.
public actor InMemoryStateRepository: StateRepository {
    private var values: [String: String]
    /// Every write, in order.
    private(set) public var writes: [(key: String, value: String)] = []

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public func value(_ key: String) async throws -> String? { values[key] }

    public func setValue(_ value: String, for key: String) async throws {
        values[key] = value
        writes.append((key, value))
    }

    public func writes(of key: String) -> [String] {
        writes.filter { $0.key == key }.map(\.value)
    }
}
