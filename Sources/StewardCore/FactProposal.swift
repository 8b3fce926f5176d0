import Foundation

/// A fact the model wanted to remember that may not be stored at once: taken from a mail, an invitation or
/// a web page (or said to be the owner's words in a turn where the model had read such text). It becomes a
/// pending fact with a card; only the owner's Approve makes it active, Reject forgets it.
public struct ProposedFact: Sendable, Equatable {
    public var text: String
    public var source: FactSource
    /// What the source was: a mail's id and subject, an invitation's title, a URL.
    public var reference: String?
    /// Why a fact said to be the owner's words still waits (nil when the source alone is the reason).
    public var why: String?

    public init(text: String, source: FactSource, reference: String? = nil, why: String? = nil) {
        self.text = text
        self.source = source
        self.reference = reference
        self.why = why
    }

    /// The source as the card names it.
    public var sourceLine: String {
        let reference = reference.map { ": \($0.prefix(200))" } ?? ""
        switch source {
        case .mail: return "Source: a mail\(reference)"
        case .invitation: return "Source: an invitation\(reference)"
        case .web: return "Source: a web page\(reference)"
        case .owner: return "Source: your words"
        case .model, .rule: return "Source: the assistant" + (why.map { " (\($0))" } ?? "")
        }
    }
}

/// The card for a pending fact (`memory_save`): Approve makes fact `factID` active; Reject (or expiry)
/// forgets it. The fact's text lives in memory, not here: the card only names it.
public struct SaveFactArguments: CalendarToolArguments {
    public static let toolName = "memory_save"
    public var factID: MemoryFact.ID
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case factID }

    public init(factID: MemoryFact.ID) { self.factID = factID }
}
