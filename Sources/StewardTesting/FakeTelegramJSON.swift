import Foundation

/// A JSON value the fake Telegram server can keep in an actor and send across tasks.
public enum FakeJSON: Sendable, Equatable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([FakeJSON])
    case object([String: FakeJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([FakeJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: FakeJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public static func parse(_ data: Data) -> FakeJSON? {
        try? JSONDecoder().decode(FakeJSON.self, from: data)
    }

    public var data: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    public var description: String { String(decoding: data, as: UTF8.self) }

    public subscript(key: String) -> FakeJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// Integers arrive as numbers in JSON bodies and as strings in form and query parameters.
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): value.rounded() == value ? Int64(exactly: value) : nil
        case .string(let value): Int64(value.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .int(let value): value != 0
        case .string(let value): ["true", "1"].contains(value.lowercased()) ? true : (["false", "0"].contains(value.lowercased()) ? false : nil)
        default: nil
        }
    }

    public var arrayValue: [FakeJSON]? {
        if case .array(let value) = self { return value }
        // Form parameters carry arrays and objects as JSON text, as the Bot API expects.
        if case .string(let text) = self, case .array(let value)? = FakeJSON.parse(Data(text.utf8)) { return value }
        return nil
    }

    public var objectValue: [String: FakeJSON]? {
        if case .object(let value) = self { return value }
        if case .string(let text) = self, case .object(let value)? = FakeJSON.parse(Data(text.utf8)) { return value }
        return nil
    }
}

extension FakeJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: FakeJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, FakeJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}
