import Foundation

/// Where a remembered fact came from. Only the owner's own words become active at once; text Steward did
/// not get from its owner (mail, invitations, web pages) waits for an Approve (see `MemoryFact.Status`).
public enum FactSource: String, Codable, Hashable, Sendable {
    /// Said by the person themselves (`/remember`, "remember that …", or the model quoting their words).
    case owner
    /// Proposed by the model from the conversation.
    case model
    /// Drawn from a mail; `reference` names it (message id, sender, subject).
    case mail
    /// Drawn from a calendar invitation someone else created.
    case invitation
    /// Drawn from a web page; `reference` is its URL.
    case web
    /// A rule the person set by a triage correction (Not urgent, Mute) or a setting.
    case rule

    /// Text the owner did not write: a fact from it is never active without an Approve.
    public var isUntrusted: Bool { self == .mail || self == .invitation || self == .web }
}

/// One thing Steward remembers about a person.
public struct MemoryFact: Hashable, Codable, Sendable, Identifiable {
    public typealias ID = Int64

    public enum Status: String, Codable, Hashable, Sendable {
        /// Used in answers and shown by `/memory`.
        case active
        /// Waiting for the owner's Approve (a fact from untrusted text).
        case pending
        /// Replaced by a later fact that contradicts it; kept in history, never used.
        case superseded
        /// Removed by `/forget`; never used again.
        case forgotten
    }

    public var id: ID
    public var userID: User.ID
    public var text: String
    public var source: FactSource
    /// What the source was: a mail's message id and subject, an invitation's title, a URL. Nil for the owner.
    public var reference: String?
    public var status: Status
    public var createdAt: Date
    /// The fact this one replaced, when it superseded an earlier one.
    public var supersedes: ID?

    public init(id: ID, userID: User.ID, text: String, source: FactSource, reference: String? = nil,
                status: Status, createdAt: Date, supersedes: ID? = nil) {
        self.id = id
        self.userID = userID
        self.text = text
        self.source = source
        self.reference = reference
        self.status = status
        self.createdAt = createdAt
        self.supersedes = supersedes
    }
}

/// A fact about to be stored: the repository assigns its id.
public struct NewFact: Hashable, Sendable {
    public var text: String
    public var source: FactSource
    public var reference: String?
    public var status: MemoryFact.Status
    /// An earlier active fact this one contradicts: stored as `superseded` in the same transaction.
    public var supersedes: MemoryFact.ID?
    /// Optional embedding of `text` (see `LLM_EMBEDDINGS_MODEL`); nil = full-text search only.
    public var embedding: [Float]?

    public init(text: String, source: FactSource, reference: String? = nil, status: MemoryFact.Status,
                supersedes: MemoryFact.ID? = nil, embedding: [Float]? = nil) {
        self.text = text
        self.source = source
        self.reference = reference
        self.status = status
        self.supersedes = supersedes
        self.embedding = embedding
    }
}

/// A person's memory. Everything is per person (`User.ID`): identities joined by `/link` share one.
/// Reading and searching never call a model.
public protocol MemoryRepository: Sendable {
    /// Stores `fact` (and marks the fact it supersedes, if any, as superseded) in one transaction.
    func saveFact(_ fact: NewFact, of user: User.ID, at date: Date) async throws -> MemoryFact
    func fact(id: MemoryFact.ID, of user: User.ID) async throws -> MemoryFact?
    /// The person's facts with these statuses, newest first.
    func facts(of user: User.ID, statuses: Set<MemoryFact.Status>, limit: Int) async throws -> [MemoryFact]
    /// Active facts matching `query` by full-text search (FTS5, bm25), best first.
    func searchFacts(_ query: String, of user: User.ID, limit: Int) async throws -> [MemoryFact]
    /// Moves a fact between statuses; false when it is not in `from` (already decided, or not theirs).
    func setFactStatus(id: MemoryFact.ID, of user: User.ID, from: MemoryFact.Status,
                       to: MemoryFact.Status) async throws -> Bool
    /// Stored embeddings of the person's active facts, for fusing with full-text search.
    func factEmbeddings(of user: User.ID) async throws -> [(id: MemoryFact.ID, vector: [Float])]
}
