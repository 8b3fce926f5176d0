import Foundation

/// The memory tools. Which of them a request is offered depends on who is asking where: none in a group
/// (memory is private), `memory_save` only in a turn the person started themselves.
extension ToolRegistry {
    public static let memorySearch = Tool(
        name: "memory_search", description: "Search facts the owner asked you to remember; returns id, source, date.",
        parameters: object(["query": text(200), "max_results": ["type": "integer", "minimum": 1, "maximum": 20]],
                           required: ["query"]),
        risk: .read)

    /// Saved at once when the fact is the owner's own words; a fact taken from a mail, an invitation or a
    /// web page waits for the owner's Approve on a card. The executor decides, in the turn.
    public static let memorySave = Tool(
        name: "memory_save",
        description: "Remember a fact about the owner. source: user = the owner said it; mail/invitation/web = "
            + "taken from that text (needs approval; give reference: message id or URL).",
        parameters: object(["fact": text(500), "source": ["type": "string", "enum": ["user", "mail", "invitation", "web"]],
                            "reference": text(300)], required: ["fact", "source"]),
        risk: .write, runsInTurn: true)

    /// Steward's tools with the memory tools this request may use.
    public static func steward(memory: MemoryTools) -> ToolRegistry {
        switch memory {
        case .none: .steward
        case .searchOnly: ToolRegistry(ToolRegistry.steward.tools + [memorySearch])
        case .searchAndSave: ToolRegistry(ToolRegistry.steward.tools + [memorySearch, memorySave])
        }
    }

    /// Which memory tools a request is offered.
    public enum MemoryTools: Sendable {
        /// A group, or no memory configured.
        case none
        case searchOnly
        /// A private chat, in a turn the person started.
        case searchAndSave
    }

    private static func text(_ maxLength: Int64) -> JSONValue {
        ["type": "string", "minLength": 1, "maxLength": .int(maxLength)]
    }

    private static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string)),
         "additionalProperties": false]
    }
}
