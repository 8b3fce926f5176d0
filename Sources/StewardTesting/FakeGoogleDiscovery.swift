import Foundation

/// Checks requests (and the fake's own answers) against the Calendar v3 and Gmail v1 discovery documents
/// (a `gmail.` method id is checked against Gmail's, anything else against Calendar's).
///
/// What is enforced, as Google enforces it: every query parameter must be one the method or the API
/// declares, appear once unless declared `repeated`, and have the declared type (boolean, integer
/// within its bounds, one of the enum values, RFC 3339 `date-time` with an offset); every body field
/// must be a property of the declared schema, with the declared JSON type, recursively; properties
/// annotated as required for the method must be present.
public enum FakeGoogleDiscovery {
    static let document: FakeJSON = {
        guard let parsed = FakeJSON.parse(Data(FakeGoogleDiscoveryDocument.json.utf8)) else {
            preconditionFailure("the embedded Calendar v3 discovery document is not valid JSON")
        }
        return parsed
    }()

    static let gmailDocument: FakeJSON = {
        guard let parsed = FakeJSON.parse(Data(FakeGoogleGmailDiscoveryDocument.json.utf8)) else {
            preconditionFailure("the embedded Gmail v1 discovery document is not valid JSON")
        }
        return parsed
    }()

    static func document(for methodID: String) -> FakeJSON {
        methodID.hasPrefix("gmail.") ? gmailDocument : document
    }

    /// A schema by name from either document (their schema names do not overlap).
    static func schema(named name: String) -> FakeJSON? {
        document["schemas"]?[name] ?? gmailDocument["schemas"]?[name]
    }

    /// The method with discovery id `id` (`calendar.events.list`, `gmail.users.messages.get`), or nil;
    /// Gmail's resources are nested (`users` → `messages`).
    static func method(_ id: String) -> FakeJSON? {
        func search(_ resources: FakeJSON?) -> FakeJSON? {
            guard case .object(let resources)? = resources else { return nil }
            for (_, resource) in resources {
                if case .object(let methods)? = resource["methods"] {
                    for (_, method) in methods where method["id"]?.stringValue == id { return method }
                }
                if let found = search(resource["resources"]) { return found }
            }
            return nil
        }
        return search(document(for: id)["resources"])
    }

    /// Every method id the embedded Calendar document describes.
    public static var methodIDs: [String] {
        guard case .object(let resources)? = document["resources"] else { return [] }
        return resources.values.flatMap { resource -> [String] in
            guard case .object(let methods)? = resource["methods"] else { return [] }
            return methods.values.compactMap { $0["id"]?.stringValue }
        }.sorted()
    }

    /// Every method id the embedded Gmail document describes.
    public static var gmailMethodIDs: [String] {
        func collect(_ resources: FakeJSON?) -> [String] {
            guard case .object(let resources)? = resources else { return [] }
            return resources.values.flatMap { resource -> [String] in
                (resource["methods"]?.objectValue?.values.compactMap { $0["id"]?.stringValue } ?? []) + collect(resource["resources"])
            }
        }
        return collect(gmailDocument["resources"]).sorted()
    }

    /// The problem with the query of a call to `methodID`, or nil when it follows the document.
    public static func queryProblem(methodID: String, query: [(name: String, value: String)]) -> String? {
        guard let method = method(methodID) else { return "unknown method \(methodID)" }
        var seen: Set<String> = []
        for (name, value) in query {
            let parameter = method["parameters"]?[name] ?? document(for: methodID)["parameters"]?[name]
            guard let parameter, parameter["location"]?.stringValue == "query" else {
                return "Unknown name \"\(name)\": Cannot bind query parameter. Field '\(name)' could not be found in request message."
            }
            if seen.contains(name), parameter["repeated"]?.boolValue != true {
                return "Parameter \(name) may appear only once"
            }
            seen.insert(name)
            if let problem = valueProblem(name: name, value: value, parameter: parameter) { return problem }
        }
        return nil
    }

    private static func valueProblem(name: String, value: String, parameter: FakeJSON) -> String? {
        if let allowed = parameter["enum"]?.arrayValue?.compactMap(\.stringValue), !allowed.contains(value) {
            return "Invalid value for \(name): \(value)"
        }
        switch parameter["type"]?.stringValue {
        case "boolean":
            guard value == "true" || value == "false" else { return "Invalid value for \(name): \(value) is not a boolean" }
        case "integer":
            guard let number = Int64(value) else { return "Invalid value for \(name): \(value) is not an integer" }
            if let minimum = parameter["minimum"]?.intValue, number < minimum { return "Invalid value for \(name): below \(minimum)" }
            if let maximum = parameter["maximum"]?.intValue, number > maximum { return "Invalid value for \(name): above \(maximum)" }
        default:
            if parameter["format"]?.stringValue == "uint64", UInt64(value) == nil {
                return "Invalid value for \(name): \(value) is not an unsigned integer"
            }
            if parameter["format"]?.stringValue == "date-time", FakeGoogleTime.parse(value) == nil {
                return "Invalid value for \(name): \(value) is not an RFC 3339 timestamp with a time zone offset"
            }
        }
        return nil
    }

    /// The problem with a JSON body sent to `methodID`, or nil.
    public static func bodyProblem(methodID: String, body: FakeJSON?) -> String? {
        guard let method = method(methodID) else { return "unknown method \(methodID)" }
        guard let schemaName = method["request"]?["$ref"]?.stringValue else {
            return body == nil ? nil : "\(methodID) takes no request body"
        }
        guard let body else { return "\(methodID) needs a \(schemaName) body" }
        if let problem = shapeProblem(body, schema: .object(["$ref": .string(schemaName)]), path: "") { return problem }
        return requiredProblem(body, schemaName: schemaName, methodID: methodID)
    }

    /// The problem with `value` as an instance of the schema named `schemaName`, or nil.
    public static func problem(_ value: FakeJSON, schema schemaName: String) -> String? {
        shapeProblem(value, schema: .object(["$ref": .string(schemaName)]), path: "")
    }

    private static func requiredProblem(_ body: FakeJSON, schemaName: String, methodID: String) -> String? {
        guard case .object(let properties)? = Self.schema(named: schemaName)?["properties"] else { return nil }
        for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
            let requiredFor = property["annotations"]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if requiredFor.contains(methodID), body[name] == nil || body[name] == .null { return "Missing \(name)." }
        }
        return nil
    }

    private static func shapeProblem(_ value: FakeJSON, schema: FakeJSON, path: String) -> String? {
        var schema = schema
        if let reference = schema["$ref"]?.stringValue {
            guard let resolved = Self.schema(named: reference) else { return "unknown schema \(reference)" }
            schema = resolved
        }
        if value == .null { return nil }  // JSON null clears a field in a patch
        let here = path.isEmpty ? "the body" : path
        switch schema["type"]?.stringValue {
        case "string":
            guard case .string = value else { return "Invalid value at \(here): expected a string" }
        case "boolean":
            guard case .bool = value else { return "Invalid value at \(here): expected a boolean" }
        case "integer", "number":
            switch value {
            case .int, .double: break
            case .string(let text) where Int64(text) != nil: break  // int64 fields travel as strings
            default: return "Invalid value at \(here): expected a number"
            }
        case "array":
            guard case .array(let items) = value else { return "Invalid value at \(here): expected an array" }
            for (index, item) in items.enumerated() {
                if let problem = shapeProblem(item, schema: schema["items"] ?? .object([:]), path: "\(here)[\(index)]") {
                    return problem
                }
            }
        case "object":
            guard case .object(let fields) = value else { return "Invalid value at \(here): expected an object" }
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                let child = path.isEmpty ? name : "\(path).\(name)"
                if let property = properties?[name] {
                    if let problem = shapeProblem(field, schema: property, path: child) { return problem }
                } else if let additional {
                    if let problem = shapeProblem(field, schema: additional, path: child) { return problem }
                } else {
                    return "Invalid JSON payload received. Unknown name \"\(name)\" at '\(path.isEmpty ? "resource" : path)': Cannot find field."
                }
            }
        default:
            break  // "any"
        }
        return nil
    }
}
