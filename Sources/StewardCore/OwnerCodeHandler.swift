import Foundation

/// Where the one-use owner code waits. Only a hash of it is kept, so the database never holds a code that
/// still works, and a spent code stays spent across restarts.
public protocol OwnerCodeRepository: Sendable {
    /// Keeps `code` as the one waiting owner code, replacing any earlier one.
    func issueOwnerCode(_ code: String, at date: Date) async throws
    /// If `code` is the waiting code, spends it and stores `grant` (role owner) in the same write; false
    /// otherwise (wrong, already spent, or none issued).
    func redeemOwnerCode(_ code: String, granting grant: AccessGrant) async throws -> Bool
    /// Forgets a waiting code: an owner exists now.
    func discardOwnerCode() async throws
}

/// The one-use owner code `steward run` prints when nobody owns Steward yet.
public enum OwnerCode {
    /// No look-alikes (0/O, 1/I/L), so it can be read off a log and typed on a phone.
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    /// Ten characters from 31: about 50 bits, far beyond guessing through a chat.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The code someone sent: `/start <code>` (also a chat app's start deep link) or the code alone, upper-cased.
    static func candidate(in event: InboundEvent) -> String? {
        let text: String
        switch event.kind {
        case .command(let name, let arguments) where name == "start": text = arguments
        case .message(let message): text = message
        default: return nil
        }
        let code = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        guard code.count == 10, code.allSatisfy(alphabet.contains) else { return nil }
        return code
    }
}

/// The chat side of the owner code: the first person who sends it in a private chat becomes the owner.
struct OwnerCodeHandler: Sendable {
    let users: any UserRepository
    let access: AccessPolicy
    let now: Date

    /// True when `event` spent the owner code: its sender is the owner now and has been told so.
    func claim(_ event: InboundEvent, reply: inout Reply) async throws -> Bool {
        // A configured owner means no code was issued; a group would show the code to everyone in it.
        guard access.owners.isEmpty, event.chat.isPrivate, let codes = users as? any OwnerCodeRepository,
              let code = OwnerCode.candidate(in: event) else { return false }
        let grant = AccessGrant(identity: event.sender, role: .owner,
                                displayName: event.senderName ?? event.sender.description, grantedAt: now)
        guard try await codes.redeemOwnerCode(code, granting: grant) else { return false }
        reply.say("✓ You are my owner now (\(event.sender.description)). The code is used up. Send /start to begin.")
        return true
    }
}
