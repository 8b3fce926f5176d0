import Foundation

/// Connects accounts from chat (OAuth): the composition root knows which providers this server has
/// credentials for. The link is bound to the user who asked, works once, and expires.
public protocol AccountConnector: Sendable {
    /// Whether `kind` (a registered `AccountKind` name) can be connected from chat on this server.
    func canConnect(_ kind: String) -> Bool
    /// A one-use link that grants Steward access; "Connected …" is later said in `chat`.
    func authorizationLink(for kind: String, user: User.ID, chat: ChatRef) async throws -> URL
}
