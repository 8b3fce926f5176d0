import Foundation

/// `/whoami`, `/unlink <identity>`, and where pushes go: the home chat of a person with several identities.
extension LinkHandler {
    /// `/whoami`: the person's identities (which one is asking), and where pushes go.
    func whoami(user: User, settings: UserSettings, event: InboundEvent, reply: inout Reply) async throws {
        let identities = try await links?.identities(of: user.id)
            ?? [LinkedIdentity(identity: event.sender, displayName: user.displayName, privateChat: nil, privateChatUsedAt: nil)]
        var lines = ["You are \(user.displayName) (\(user.role.rawValue)). Your identities:"]
        for entry in identities {
            lines.append("• \(entry.identity) — \(entry.displayName)" + (entry.identity == event.sender ? " (asking now)" : ""))
        }
        if let home = try await users.homeChat(of: user.id) {
            let how = settings.homePlatform == nil
                ? "the private chat you used last; /settings home <platform> pins one"
                : "chosen with /settings home"
            lines.append("Home chat (digest and alerts): \(home.chat.platform) private chat \(home.chat.chatID) — \(how)"
                         + (home.isActive ? "." : ". It stopped taking my messages: write to me there again."))
        } else {
            lines.append("Home chat: none yet. Send /start in a private chat with me to get the digest and alerts there.")
        }
        if identities.count == 1 {
            lines.append("To use me as the same person on another platform: send /link here, then the code from there.")
        }
        reply.sayPrivately(lines.joined(separator: "\n"), title: "Who you are")
    }

    /// `/unlink <identity>`: the identity becomes a person of its own, starting empty; what is shared stays.
    func unlink(_ typed: String, user: User, settings: UserSettings, reply: inout Reply) async throws {
        guard let links else { return reply.say(Self.unavailable) }
        guard let identity = ChatIdentity(parsing: typed) else {
            return reply.say("Which identity? Write it as /whoami shows it, e.g. /unlink slack:U0ABC. Nothing was changed.")
        }
        let identities = try await links.identities(of: user.id).map(\.identity)
        guard identities.contains(identity) else {
            return reply.say("\(identity) isn't one of your identities; /whoami lists them. Nothing was changed.")
        }
        guard identities.count > 1,
              try await links.unlink(identity, from: user.id, settings: UserSettings(timeZone: settings.timeZone),
                                     at: now) != nil else {
            return reply.say("\(identity) is your only identity: there is nothing to unlink it from.")
        }
        try await audit?.record(AuditEntry(at: now, actor: reply.event.sender.description, action: "identity_unlinked",
                                           outcome: "ok", detail: "\(identity) from person \(user.id)"))
        var letIn = access.role(of: identity) != nil
        if !letIn { letIn = try await users.grantedRole(of: identity) != nil }
        let stays = identity == reply.event.sender
            ? "The accounts, settings, approvals and memory stay with " + identities.filter { $0 != identity }
                .map(\.description).joined(separator: ", ") + "."
            : "Your accounts, settings, approvals and memory stay with you."
        reply.sayPrivately("✓ Unlinked \(identity): it is a person of its own again, starting empty. " + stays
                           + (letIn ? "" : " It can't use me on its own unless it is let in (steward users allow \(identity))."))
    }

    /// `/settings home <platform>`: the person's private chat there takes the pushes from now on. False (after
    /// saying why) when the person has no private chat there yet.
    static func pinHome(_ platform: Platform?, user: User, users: any UserRepository,
                        reply: inout Reply) async throws -> Bool {
        guard let platform else { return true }
        let links = users as? any IdentityLinkRepository
        let chats = try await links?.identities(of: user.id).filter { $0.identity.platform == platform }
            .compactMap { entry in entry.privateChat.map { ($0, entry.privateChatUsedAt ?? .distantPast) } } ?? []
        guard let chat = chats.max(by: { $0.1 < $1.1 })?.0 else {
            reply.sayPrivately("You have no private chat with me on \(platform) yet: open one there and send /start, "
                               + "then try again. Nothing was changed.")
            return false
        }
        try await users.setHomeChat(chat, of: user.id)
        return true
    }

    /// `identity`'s own private chat with Steward, once it has written there.
    func privateChat(of identity: ChatIdentity) async throws -> ChatRef? {
        try await links?.identities(sharingPersonWith: identity).first { $0.identity == identity }?.privateChat
    }

    /// A message in the sender's own private chat: it is the identity's private chat from now on, and the
    /// person's home chat too unless the person pinned the home to another platform. Writes only when
    /// something changed, so the usual message (from the home chat itself) costs nothing here.
    func notePrivateChat(_ event: InboundEvent, profile: inout SenderProfile) async throws {
        let home = profile.homeChat
        guard home?.chat != event.chat else { return }
        let pinned = profile.settings.homePlatform
        let becomesHome = home == nil || pinned == nil || pinned == event.chat.platform
        if let links {
            try await links.recordPrivateChat(event.chat, of: event.sender, user: profile.user.id, makeHome: becomesHome,
                                              at: now)
        } else if becomesHome {
            try await users.setHomeChat(event.chat, of: profile.user.id)
        }
        if becomesHome { profile.homeChat = HomeChat(chat: event.chat, isActive: true) }
    }
}
