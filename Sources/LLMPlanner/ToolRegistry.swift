import Foundation

/// How much harm a tool can do, which decides who may run it: the planner runs `.read` tools itself;
/// `.write` and `.irreversible` ones only ever become proposals the owner approves.
public enum ToolRisk: String, Sendable, Hashable {
    case read, write, irreversible
}

/// A tool the model may call: its schema is both what the model is shown and what its arguments are
/// checked against.
public struct Tool: Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSONValue
    public var risk: ToolRisk
    /// A write that touches only the asking person's own records (their memory), never another system:
    /// the planner hands it to the executor in the turn, which decides what may be stored at once and what
    /// waits for an Approve. Every other `.write` only ever becomes a proposal.
    public var runsInTurn: Bool

    public init(name: String, description: String, parameters: JSONValue, risk: ToolRisk, runsInTurn: Bool = false) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.risk = risk
        self.runsInTurn = runsInTurn
    }

    public var definition: ToolDefinition { ToolDefinition(name: name, description: description, parameters: parameters) }
}

/// A model's tool call that named a known tool and whose arguments fit its schema.
public struct ValidatedToolCall: Sendable, Hashable {
    public var id: String
    public var tool: Tool
    public var arguments: [String: JSONValue]

    public var name: String { tool.name }
    public var risk: ToolRisk { tool.risk }
}

/// A fixed list of tools. Nothing the model or a tool result says can add a tool or change a risk:
/// the registry is built once from code.
public struct ToolRegistry: Sendable {
    public let tools: [Tool]
    private let byName: [String: Tool]

    public init(_ tools: [Tool]) {
        self.tools = tools
        self.byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func tool(named name: String) -> Tool? { byName[name] }

    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// Why a call cannot run, worded for the model so it can repair the call.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public func validate(_ call: ToolCall) -> Result<ValidatedToolCall, Refusal> {
        guard let tool = byName[call.name] else {
            let names = tools.map(\.name).joined(separator: ", ")
            return .failure(Refusal(message: "error: unknown tool \"\(call.name.prefix(64))\". Available tools: \(names)."))
        }
        let text = call.arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = JSONValue.parse(text.isEmpty ? "{}" : text) else {
            return .failure(Refusal(message: "error: the arguments of \(tool.name) are not valid JSON. Send one JSON object."))
        }
        let problems = JSONSchemaValidator.errors(value, against: tool.parameters)
        guard problems.isEmpty, case .object(let arguments) = value else {
            return .failure(Refusal(message: "error: invalid arguments for \(tool.name): " + problems.prefix(5).joined(separator: "; ") + "."))
        }
        if let refusal = Self.policyRefusal(tool, arguments) { return .failure(refusal) }
        return .success(ValidatedToolCall(id: call.id, tool: tool, arguments: arguments))
    }
}
