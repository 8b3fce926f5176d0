import Foundation

/// One kind of account Steward can hold (a calendar service, a mail box, a calendar file), declared by the
/// module that implements it and registered by the composition root. Core words its `/connect`, `/accounts`
/// and `/inbox` answers from these, never from a provider's name.
public struct AccountKind: Sendable {
    public enum Feature: Sendable, Hashable {
        case calendar, mail
        /// Its calendar can tell when other people are busy (their free/busy), for `/free … with …`.
        case othersFreeBusy
    }

    /// As typed after `/connect` and stored in `Account.kind`.
    public var name: String
    /// The provider's own name as users know it ("a Fastmail account"); nil: `name`.
    public var displayName: String?
    public var features: Set<Feature>
    /// Connected from chat with a link: finishes "Open this link to let me …". Nil when it is added on the
    /// server instead.
    public var linkPurpose: String?
    /// The one line `/connect <name>` answers when this server can't connect it from chat (no credentials).
    public var unavailable: String?
    /// A kind that adds to another account rather than being one (mail on a calendar account): that
    /// account's name, for "add it to your … account".
    public var addsTo: String?
    /// The command that adds one on the server for the user written as given; nil when it is connected from chat.
    public var serverCommand: (@Sendable (String) -> String)?

    public init(name: String, features: Set<Feature>, linkPurpose: String? = nil, unavailable: String? = nil,
                addsTo: String? = nil, serverCommand: (@Sendable (String) -> String)? = nil,
                displayName: String? = nil) {
        self.name = name
        self.displayName = displayName
        self.features = features
        self.linkPurpose = linkPurpose
        self.unavailable = unavailable
        self.addsTo = addsTo
        self.serverCommand = serverCommand
    }
}

/// The registered account kinds, in the order they are suggested.
public struct AccountKinds: Sendable {
    public private(set) var all: [AccountKind]

    public init(_ kinds: [AccountKind] = []) {
        all = kinds
    }

    public subscript(name: String) -> AccountKind? { all.first { $0.name == name } }

    /// The kind to suggest connecting from chat for `feature`; `connectable` says whether this server can.
    public func fromChat(for feature: AccountKind.Feature, where connectable: (String) -> Bool = { _ in true })
        -> AccountKind? {
        all.first { $0.features.contains(feature) && $0.linkPurpose != nil && connectable($0.name) }
    }

    /// The first kind with `feature`, in the order registered.
    public func first(with feature: AccountKind.Feature) -> AccountKind? {
        all.first { $0.features.contains(feature) }
    }

    /// How the server adds an account for `user` (a calendar file), when some kind is added that way.
    public func serverCommand(for user: String) -> String? {
        all.lazy.compactMap(\.serverCommand).first.map { $0(user) }
    }
}

extension Account {
    /// An account whose mail Steward reads (connecting mail was completed for it), whatever its provider.
    public var readsMail: Bool { options["mail"] == "on" }
}
