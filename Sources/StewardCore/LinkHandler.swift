import Foundation

/// `/link`, `/link <code>`, `/whoami`, `/unlink <identity>`: one person on several platforms.
///
/// Rules:
/// - `/link` answers, in the sender's private chat only, with a one-use code valid 10 minutes (kept hashed).
/// - `/link <code>` from another identity moves that identity to the person who asked for the code; when it
///   was its old person's only identity, that person's accounts, approvals, memory, plans, budget and
///   conversation move too, and the code's person keeps its settings (`IdentityLinkRepository`). A code typed
///   in a group is cancelled, not used. Wrong, expired and used codes get one line and change nothing; after
///   5 of them in 10 minutes an identity is refused without a look.
/// - An identity someone configured (owner, member, let in) keeps its own role; one that came in only by a
///   link has the highest role among its person's configured identities, so access taken away from those
///   is taken from it too. Two configured identities are never joined without a code.
struct LinkHandler: Sendable {
    let users: any UserRepository
    let access: AccessPolicy
    let digest: @Sendable (Data) -> String
    let now: Date
    /// Where joining and separating identities is recorded (who, which person).
    var audit: (any AuditLog)?

    static let codeLifetime: TimeInterval = 10 * 60
    static let attemptLimit = LinkAttemptLimit(failures: 5, window: 10 * 60)
    /// Eight characters from 31 (about 40 bits): out of reach of five guesses per ten minutes.
    static let codeLength = 8

    var links: (any IdentityLinkRepository)? { users as? any IdentityLinkRepository }
    static let unavailable = "Linking accounts isn't available with this server's storage, so nothing was changed."

    static func generateCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<codeLength).map { _ in OwnerCode.alphabet.randomElement(using: &generator)! })
    }

    /// The code as typed, forgiving case, spaces and dashes; nil when it can't be a code.
    static func normalized(_ typed: String) -> String? {
        let code = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard code.count == codeLength, code.allSatisfy(OwnerCode.alphabet.contains) else { return nil }
        return code
    }

    /// A message that is only a link code after "link" or "/link": what the code's answer tells people to
    /// send, typed where the platform has no `/link` command of its own.
    static func typedCode(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, words.count <= 3, words[0].lowercased() == "link" || words[0].lowercased() == "/link"
        else { return nil }
        return normalized(words.dropFirst().joined())
    }

    private func hash(_ code: String) -> String { digest(Data("link-code|\(code)".utf8)) }

    /// `/link`: a fresh code, shown only where the sender alone can read it.
    func issue(user: User, reply: inout Reply) async throws {
        guard let links else { return reply.say(Self.unavailable) }
        // In a group with no private chat to answer in, no code is made at all.
        guard reply.isOwnDM || reply.event.replyRoute != nil || reply.directChat != nil || reply.channel.opensPrivateChats
        else {
            return reply.say("I give link codes only in a private chat, and you haven't started one with me yet: "
                             + "open a chat with me, send /start, then /link there. Nothing was changed.")
        }
        let code = Self.generateCode()
        try await links.issueLinkCode(hash: hash(code), for: user.id, chat: reply.privateChat, at: now,
                                      expiresAt: now.addingTimeInterval(Self.codeLifetime))
        reply.sayPrivately("Your link code is \(code). Within 10 minutes, send /link \(code) (or just: link \(code)) "
                           + "to me from your account on the other platform, in a private chat: that account then "
                           + "becomes one with this one (accounts, settings, approvals and memory shared). "
                           + "The code works once.")
    }

    /// `/link <code>`: joins the sender to the code's person (for an identity not let in on its own, the
    /// code is what lets it in).
    func redeem(_ typed: String, event: InboundEvent, reply: inout Reply) async throws {
        guard let links else { return reply.say(Self.unavailable) }
        guard let code = Self.normalized(typed) else {
            return reply.say("That isn't a link code (8 letters and digits). Send /link on your other account to get one. "
                             + "Nothing was changed.")
        }
        // A slash command's text is seen by its sender only; a group message by everyone in the group.
        guard event.chat.isPrivate || event.replyRoute != nil else {
            let cancelled = try await links.cancelLinkCode(hash: hash(code))
            return reply.say((cancelled ? "That code was posted where others can read it, so I cancelled it. "
                                : "Link codes only work in a private chat with me. ")
                             + "Send /link on your other account for a new one, then send it to me privately.")
        }
        let name = event.senderName ?? event.sender.description
        let outcome = try await links.redeemLinkCode(hash: hash(code), by: event.sender, displayName: name, at: now,
                                                     limit: Self.attemptLimit)
        let again = "Nothing was changed; send /link on your other account for a new code."
        switch outcome {
        case .linked(let person, let issuedIn, let movedFrom):
            let others = try await links.identities(of: person).map(\.identity).filter { $0 != event.sender }
            let moved = movedFrom == nil ? ""
                : " What this account had (accounts, approvals, memory) moved over; the settings are the other account's."
            reply.say("✓ Linked: you are one person with " + others.map(\.description).joined(separator: ", ")
                      + " now, sharing accounts, calendars, settings, approvals and memory. /whoami lists your "
                      + "identities." + moved)
            try await audit?.record(AuditEntry(at: now, actor: event.sender.description, action: "identity_linked",
                                               outcome: "ok", detail: "person \(person)"
                                                   + (movedFrom.map { ", moved person \($0)" } ?? "")))
            // The person who asked for the code hears of it where they asked: a code that leaked shows here.
            reply.send(OutboundMessage(text: "✓ \(name) (\(event.sender)) is linked to you now. If that wasn't you, "
                                       + "send /unlink \(event.sender)."), to: issuedIn, key: "\(event.id)#linked")
        case .unknownCode: reply.say("That link code isn't right. " + again)
        case .expired: reply.say("That link code has expired (codes work for 10 minutes). " + again)
        case .used: reply.say("That link code was used already. " + again)
        case .alreadyLinked: reply.say("This account is already one with that person: nothing to link.")
        case .tooManyAttempts:
            reply.say("Too many wrong link codes from this account: try again in 10 minutes. Nothing was changed.")
        }
    }

    /// An identity not let in on its own may still send `/link <code>` in a private chat: true when `event`
    /// was that (and has been answered).
    func claim(_ event: InboundEvent, reply: inout Reply) async throws -> Bool {
        guard links != nil else { return false }
        switch event.kind {
        case .command(let name, let arguments) where name == "link" && !arguments.trimmingCharacters(in: .whitespaces).isEmpty:
            try await redeem(arguments, event: event, reply: &reply)
        case .message(let text) where Self.typedCode(text) != nil:
            try await redeem(text.split(whereSeparator: \.isWhitespace).dropFirst().joined(), event: event, reply: &reply)
        default:
            return false
        }
        return true
    }

    /// The role of an identity that has none configured: the highest of its person's configured identities
    /// (nil for a stranger, or when none of them is let in any more).
    func linkedRole(of identity: ChatIdentity) async throws -> User.Role? {
        guard let links else { return nil }
        var best: User.Role?
        for other in try await links.identities(sharingPersonWith: identity).map(\.identity) where other != identity {
            var role = access.role(of: other)
            if role == nil { role = try await users.grantedRole(of: other) }
            if role == .owner { return .owner }
            if role == .member { best = .member }
        }
        return best
    }
}

extension LinkHandler {
    /// `/link` or `/link <code>` from someone already let in.
    func perform(_ code: String?, event: InboundEvent, user: User, reply: inout Reply) async throws {
        if let code { return try await redeem(code, event: event, reply: &reply) }
        try await issue(user: user, reply: &reply)
    }
}

extension Orchestrator {
    /// Linking, with only its own dependencies.
    var linkHandler: LinkHandler {
        LinkHandler(users: users, access: access, digest: digest, now: now(), audit: audit)
    }

    /// Whether `identity` is let in: configured, allowed since (`steward users allow`, a pairing card's
    /// Allow), or linked to someone who is. For platforms that must decide before any message arrives
    /// (accepting a chat invite).
    public func isLetIn(_ identity: ChatIdentity) async throws -> Bool {
        if access.role(of: identity) != nil { return true }
        if try await users.grantedRole(of: identity) != nil { return true }
        return try await linkHandler.linkedRole(of: identity) != nil
    }
}
