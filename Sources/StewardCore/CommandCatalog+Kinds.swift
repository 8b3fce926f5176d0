extension ChatCommand {
    /// The catalogue as this server words it: `/connect` takes the kinds registered to connect from chat,
    /// e.g. `/connect <kind>|<kind>` from the registered kinds' names and display names.
    public static func catalogue(for kinds: AccountKinds) -> [ChatCommand] {
        all.map { $0.name == "connect" ? connect(kinds) ?? $0 : $0 }
    }

    /// `/connect`'s entry from the kinds connected from chat; nil when there are none.
    static func connect(_ kinds: AccountKinds) -> ChatCommand? {
        let offered = kinds.all.filter { $0.linkPurpose != nil }
        guard !offered.isEmpty else { return nil }
        let own = offered.filter { $0.addsTo == nil }.map { kind in
            kind.features.contains(.calendar) ? "\(kind.article) \(kind.shownName) calendar" : "\(kind.shownName) mail"
        }
        let added = offered.filter { $0.addsTo != nil }.map { kind in
            own.count == 1 && kinds.all.contains { $0.shownName == kind.addsTo && $0.linkPurpose != nil }
                ? "add its \(kind.shownName)" : "add \(kind.shownName) to your \(kind.addsTo ?? "") account"
        }
        let first = own.isEmpty ? [] : ["Connect " + own.joined(separator: " or ")]
        var summary = (first + added).joined(separator: ", or ")
        summary = summary.prefix(1).uppercased() + summary.dropFirst()
        return ChatCommand(name: "connect", arguments: offered.map(\.name).joined(separator: "|"), summary: summary)
    }
}

extension AccountKind {
    /// The provider's name as users know it.
    public var shownName: String { displayName ?? name }

    /// "a" or "an" before `shownName`, by its first letter (good enough for provider names).
    var article: String { shownName.first.map { "AEIOUaeiou".contains($0) } == true ? "an" : "a" }
}
