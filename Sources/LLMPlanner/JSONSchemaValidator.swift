import Foundation

/// Validates JSON against the subset of JSON Schema the tool registry uses: `type` (object, string,
/// integer, number, boolean, array), `properties`, `required`, `enum`, `additionalProperties: false`,
/// `minimum`/`maximum`, `minLength`/`maxLength`, `items`, `minItems`/`maxItems`, and `format`
/// `date-time` (ISO 8601 *with* an offset) and `email`. Errors name the path, so the model can repair them.
public enum JSONSchemaValidator {
    /// Every problem found, e.g. `start: expected an ISO 8601 date-time with an offset`. Empty = valid.
    public static func errors(_ value: JSONValue, against schema: JSONValue, path: String = "") -> [String] {
        var problems: [String] = []
        let here = path.isEmpty ? "arguments" : path
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map { $0.stringValue ?? $0.text }.joined(separator: ", ")
            return ["\(here): must be one of \(list)"]
        }
        switch schema["type"]?.stringValue {
        case "object"?:
            guard case .object(let object) = value else { return ["\(here): expected an object"] }
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(join(path, name)): required")
            }
            for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                if let childSchema = properties[name] {
                    problems += errors(child, against: childSchema, path: join(path, name))
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(join(path, name)): unknown property")
                }
            }
        case "array"?:
            guard case .array(let items) = value else { return ["\(here): expected an array"] }
            if let min = schema["minItems"]?.intValue, items.count < min { problems.append("\(here): at least \(min) items") }
            if let max = schema["maxItems"]?.intValue, items.count > max { problems.append("\(here): at most \(max) items") }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    problems += errors(item, against: itemSchema, path: "\(here)[\(index)]")
                }
            }
        case "string"?:
            guard case .string(let text) = value else { return ["\(here): expected a string"] }
            if let min = schema["minLength"]?.intValue, text.count < min { problems.append("\(here): at least \(min) characters") }
            if let max = schema["maxLength"]?.intValue, text.count > max { problems.append("\(here): at most \(max) characters") }
            switch schema["format"]?.stringValue {
            case "date-time"? where parseDateTime(text) == nil:
                problems.append("\(here): expected an ISO 8601 date-time with an offset, e.g. 2026-11-21T15:00:00+01:00")
            case "email"? where !isEmail(text):
                problems.append("\(here): expected an email address")
            default: break
            }
        case "integer"?:
            guard let number = value.intValue else { return ["\(here): expected an integer"] }
            problems += bounds(Double(number), schema, here)
        case "number"?:
            guard let number = value.numberValue else { return ["\(here): expected a number"] }
            problems += bounds(number, schema, here)
        case "boolean"?:
            if value.boolValue == nil { problems.append("\(here): expected true or false") }
        default:
            break
        }
        return problems
    }

    private static func bounds(_ number: Double, _ schema: JSONValue, _ here: String) -> [String] {
        var problems: [String] = []
        if let min = schema["minimum"]?.numberValue, number < min { problems.append("\(here): at least \(format(min))") }
        if let max = schema["maximum"]?.numberValue, number > max { problems.append("\(here): at most \(format(max))") }
        return problems
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int64(number)) : String(number)
    }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// `2026-11-21T15:00:00+01:00`, `…:00Z`, optional fractional seconds. A time without an offset is
    /// refused: it would be ambiguous across the user's zone and the server's.
    public static func parseDateTime(_ text: String) -> Date? {
        let range = NSRange(text.startIndex..., in: text)
        guard dateTimePattern.firstMatch(in: text, range: range) != nil else { return nil }
        // Seconds may be omitted (`15:00+01:00`); the formatter wants them.
        var full = text
        if let time = text.firstIndex(of: "T"),
           let offsetStart = text[time...].lastIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }),
           text[time..<offsetStart].filter({ $0 == ":" }).count == 1 {
            full = String(text[..<offsetStart]) + ":00" + String(text[offsetStart...])
        }
        return (full.contains(".") ? fractionalFormatter : plainFormatter).date(from: full)
    }

    // Compiled once: building a regex or an ISO8601DateFormatter costs more than validating a whole call.
    // Formatters are documented thread-safe once configured.
    private static let dateTimePattern = try! NSRegularExpression(
        pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$"#)
    private static let emailPattern = try! NSRegularExpression(
        pattern: #"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$"#)
    nonisolated(unsafe) private static let plainFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()
    nonisolated(unsafe) private static let fractionalFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    static func isEmail(_ text: String) -> Bool {
        text.count <= 254 && emailPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
