import Foundation

/// The owner's Allow on a pairing card: let `identity` use Steward as a member.
public struct AllowAccessArguments: CalendarToolArguments {
    public static let toolName = "access_allow"
    public var platform: Platform
    public var userID: String
    public var name: String
    /// The newcomer's private chat with the bot, told when they are let in.
    public var chat: ChatRef
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case platform, userID, name, chat }

    public init(identity: ChatIdentity, name: String, chat: ChatRef) {
        platform = identity.platform
        userID = identity.userID
        self.name = name
        self.chat = chat
    }

    public var identity: ChatIdentity { ChatIdentity(platform: platform, userID: userID) }
}

/// Pairing: a stranger's first message gets a short code and nothing else; the owner gets a card "Let
/// <name> (<identity>) use Steward?" with Allow and Deny, in their home chat. Allow stores the grant
/// (`AccessGrant`), so the stranger's next message is answered.
struct PairingHandler: Sendable {
    let users: any UserRepository
    let access: AccessPolicy
    let gate: ApprovalGate

    /// A six-digit code derived from the identity: the same stranger always gets the same code.
    func code(for identity: ChatIdentity) -> String {
        let hex = gate.digest(Data("pairing|\(identity)".utf8)).prefix(12)
        return String(format: "%06d", (UInt64(hex, radix: 16) ?? 0) % 1_000_000)
    }

    /// The stranger's one answer (their code), and the owner's card when an owner has a home chat.
    func pair(_ event: InboundEvent, reply: inout Reply) async throws {
        let code = code(for: event.sender)
        let name = event.senderName ?? event.sender.description
        guard event.chat.isPrivate, let (owner, home) = try await ownerHome() else {
            // No owner to ask in chat: the line the owner can run instead.
            return reply.say("Sorry, I'm a private assistant and can't help you. If you know my owner, ask them to "
                             + "let you in with: steward users allow \(event.sender.description)")
        }
        reply.say("Sorry, I'm a private assistant and can't help you yet. Your pairing code is \(code): if you know "
                  + "my owner, tell them this code; they can let you in.")
        let id = String(gate.digest(Data("pairing-card|\(event.sender)".utf8)).prefix(12))
        let lead = try gate.request(AllowAccessArguments(identity: event.sender, name: name, chat: event.chat), id: id,
                                    on: id, choice: .allow, summary: "Pairing code: \(code)", user: owner.id,
                                    chat: home, expiresAt: gate.now().addingTimeInterval(gate.lifetime))
        let (card, stored) = try await gate.store(card: id, user: owner.id, chat: home, requests: [lead])
        guard stored[0].state == .pending else { return }
        let key = "approval-card:\(card.id)"
        reply.send(ApprovalGate.message(for: stored[0], on: card), to: home, key: key)
        reply.note(.recordCardMessage(cardID: card.id), onKey: key)
    }

    /// The first owner who has a home chat with Steward: configured ones first, then those let in since
    /// (the one-use owner code, `steward users allow --owner`).
    private func ownerHome() async throws -> (User, ChatRef)? {
        var owners = access.owners.sorted(by: { $0.description < $1.description })
        if let grants = users as? any AccessGrantRepository {
            owners += try await grants.grants().filter { $0.role == .owner }.map(\.identity)
        }
        for identity in owners {
            if let profile = try await users.profile(for: identity), let home = profile.homeChat, home.isActive {
                return (profile.user, home.chat)
            }
        }
        return nil
    }
}
