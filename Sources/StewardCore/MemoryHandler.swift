import Foundation

/// Memory you can see (issue 16): `/remember`, `/memory [words]`, `/forget <id>`, and the one place a fact
/// is saved (the model's `memory_save` goes through `save` too). Every answer names the person's own data,
/// so it is said privately: in a group only a pointer is posted.
public struct MemoryHandler: Sendable {
    public let memory: any MemoryRepository
    public let now: @Sendable () -> Date

    /// A fact longer than this is refused whole (a fact is a sentence or two; a pasted mail is not one).
    public static let maximumFactLength = 1_000
    /// How many facts `/memory` lists in each section.
    static let listLimit = 50

    public init(memory: any MemoryRepository, now: @escaping @Sendable () -> Date) {
        self.memory = memory
        self.now = now
    }

    /// What `save` did.
    public struct Saved: Sendable, Equatable {
        /// The stored fact, or the active one that already said exactly this.
        public var fact: MemoryFact
        /// The earlier active fact this one contradicted; it is now superseded (or will be, on Approve).
        public var replaced: MemoryFact?
        /// True when an active fact already said the same: nothing was stored.
        public var alreadyKnown: Bool
    }

    /// Stores `text` for `user`. A fact contradicting an earlier active one supersedes it (the rule is in
    /// `FactContradiction`); the same words as an active fact store nothing new.
    public func save(_ text: String, source: FactSource, reference: String? = nil, status: MemoryFact.Status,
                     of user: User.ID, embedding: [Float]? = nil) async throws -> Saved {
        let text = Self.cleaned(text)
        // The facts it may repeat or contradict: the newest few hundred, and older ones that share its words.
        var active = try await memory.facts(of: user, statuses: [.active], limit: 500)
        let known = Set(active.map(\.id))
        active += try await memory.searchFacts(text, of: user, limit: 20).filter { !known.contains($0.id) }
        active.sort { $0.id > $1.id }
        if let same = active.first(where: { FactContradiction.repeats(text, $0) }) {
            return Saved(fact: same, replaced: nil, alreadyKnown: true)
        }
        let replaced = FactContradiction.replaced(by: text, among: active)
        let fact = try await memory.saveFact(
            NewFact(text: text, source: source, reference: reference, status: status, supersedes: replaced?.id,
                    embedding: embedding), of: user, at: now())
        return Saved(fact: fact, replaced: fact.supersedes == nil ? nil : replaced, alreadyKnown: false)
    }

    // MARK: Chat

    /// `/remember <fact>`, "remember that …", or a stated preference: stored active at once (the owner's
    /// own words are never refused, whatever `FactScreening` finds). Returns the setting change the
    /// preference maps to, for the caller to offer as a card.
    func remember(_ text: String, user: User, settings: UserSettings, reply: inout Reply) async throws -> ProposedSetting? {
        let text = Self.cleaned(text)
        guard !text.isEmpty else {
            reply.say("What should I remember? For example: /remember I prefer morning meetings")
            return nil
        }
        guard text.count <= Self.maximumFactLength else {
            reply.say("That's too long to remember (over \(Self.maximumFactLength) characters). Nothing was stored.")
            return nil
        }
        // Asked in a group where Steward can't write to the person privately yet: nothing is stored, since
        // the answer (the id to forget it by) could only be posted to the group; they are told how to start.
        if !reply.isOwnDM, reply.event.replyRoute == nil, reply.directChat == nil, !reply.channel.opensPrivateChats {
            reply.sayPrivately("Nothing was stored.")
            return nil
        }
        let saved = try await save(text, source: .owner, status: .active, of: user.id)
        var lines: [String]
        if saved.alreadyKnown {
            lines = ["I already remember that (#\(saved.fact.id)): \(saved.fact.text)"]
        } else {
            lines = ["Remembered (#\(saved.fact.id)): \(saved.fact.text)"]
            if let old = saved.replaced {
                lines.append("It replaces #\(old.id): \(old.text) (kept in history, no longer used).")
            }
        }
        lines.append("/memory lists what I remember; /forget \(saved.fact.id) removes it.")
        reply.sayPrivately(lines.joined(separator: "\n"))
        return saved.alreadyKnown ? nil : PreferenceSetting.proposal(for: text, settings: settings)
    }

    /// `/memory`: active facts, then those waiting for an Approve, then the mail rules the person set by
    /// triage corrections (read from the settings, where they act; they are not copied into facts).
    /// `/memory <words>`: the active facts that match, best first.
    func list(query: String?, user: User, settings: UserSettings, reply: inout Reply) async throws {
        let dates = FactDates(zone: settings.zone, now: now())
        if let query = query.map(Self.cleaned), !query.isEmpty {
            let found = try await memory.searchFacts(query, of: user.id, limit: 10)
            let text = found.isEmpty ? "Nothing I remember matches \"\(String(query.prefix(80)))\"."
                : found.map { dates.line($0) }.joined(separator: "\n")
            reply.sayPrivately(text, title: found.isEmpty ? nil : "Remembered, matching \"\(String(query.prefix(80)))\"")
            return
        }
        let facts = try await memory.facts(of: user.id, statuses: [.active, .pending], limit: 2 * Self.listLimit)
        let active = facts.filter { $0.status == .active }.prefix(Self.listLimit)
        let pending = facts.filter { $0.status == .pending }.prefix(Self.listLimit)
        let rules = try await mailRules(settings, of: user.id, dates: dates)
        var sections: [String] = []
        if !active.isEmpty { sections.append(active.map { dates.line($0) }.joined(separator: "\n")) }
        if !pending.isEmpty {
            sections.append("Waiting for your Approve (not used until then):\n"
                            + pending.map { dates.line($0) }.joined(separator: "\n"))
        }
        if !rules.isEmpty { sections.append("Rules from your mail corrections:\n" + rules.joined(separator: "\n")) }
        guard !sections.isEmpty else {
            reply.sayPrivately("I don't remember anything about you yet. Tell me with /remember <fact>, "
                               + "e.g. /remember I prefer morning meetings.")
            return
        }
        sections.append("/forget <id> removes a fact; /memory <words> searches.")
        reply.sayPrivately(sections.joined(separator: "\n\n"), title: "What I remember")
    }

    /// `/forget <id>`: the fact is marked forgotten before this answer is sent, so no later answer uses it.
    /// An id that is not one of the person's facts changes nothing and gets one line.
    func forget(_ typed: String, user: User, reply: inout Reply) async throws {
        let digits = typed.hasPrefix("#") ? String(typed.dropFirst()) : typed
        guard let id = MemoryFact.ID(digits), id > 0, let fact = try await memory.fact(id: id, of: user.id) else {
            reply.sayPrivately("I have no fact #\(String(digits.prefix(20))) for you; nothing was changed. "
                               + "/memory lists your facts with their ids.")
            return
        }
        if fact.status == .forgotten {
            reply.sayPrivately("#\(id) was already forgotten.")
            return
        }
        guard try await memory.setFactStatus(id: id, of: user.id, from: fact.status, to: .forgotten) else {
            reply.sayPrivately("#\(id) changed while I looked at it; nothing was changed. Please try again.")
            return
        }
        reply.sayPrivately("Forgotten #\(id): \(fact.text)\nI won't use it again.")
    }

    // MARK: Wording

    /// One line: surrounding spaces trimmed, line breaks as spaces.
    static func cleaned(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// A fact as `/memory` shows it: id, text, where it came from and the day it was stored in the person's zone.
struct FactDates {
    let zone: TimeZone
    let now: Date

    func line(_ fact: MemoryFact) -> String {
        "#\(fact.id) \(fact.text) — \(Self.provenance(fact)), \(day(fact.createdAt))"
    }

    /// `6 Dec`, with the year when it is not this year's.
    func day(_ date: Date) -> String {
        let day = LocalDate(date, in: zone)
        let year = day.year == LocalDate(now, in: zone).year ? "" : " \(day.year)"
        return "\(day.day) \(ScheduleFormatter.monthNames[day.month - 1])\(year)"
    }

    static func provenance(_ fact: MemoryFact) -> String {
        let reference = fact.reference.map { ": " + String($0.prefix(120)) } ?? ""
        switch fact.source {
        case .owner: return "you said it"
        case .model: return "suggested by the assistant" + reference
        case .mail: return "from a mail" + reference
        case .invitation: return "from an invitation" + reference
        case .web: return "from a web page" + reference
        case .rule: return "a rule you set" + reference
        }
    }
}
