import Foundation
import GoogleWorkspace
import Logging
import StewardCore
import StewardServer
import StewardStorage

/// `/connect google` and the browser's return to `/oauth/google/callback`.
///
/// Guarantees: a link is bound to the user who asked and to a PKCE verifier kept on the server; it works
/// once, for 10 minutes; a wrong, used or expired `state`, a refusal at Google, or a code Google rejects
/// leads to a page that says what to do, and nothing is stored; tokens are stored encrypted, and the user
/// hears "Connected <address>" in the chat they asked from.
struct GoogleConnect: AccountConnector {
    static let callbackPath = "/oauth/google/callback"
    static let linkLifetime: TimeInterval = 600

    let google: GoogleCalendars
    let authorizations: any AuthorizationRepository
    let outbox: any OutboxRepository
    let delivered: @Sendable () -> Void
    let logger: Logger
    /// Watches mailboxes once Gmail is connected.
    var mail: GmailTriage?

    func canConnect(_ kind: String) -> Bool { kind == "google" || kind == "gmail" }

    func authorizationLink(for kind: String, user: User.ID, chat: ChatRef) async throws -> URL {
        // Gmail is added to a Google account (incremental consent): the same account is suggested. Without
        // one yet, the calendar is asked for too, so the account Steward stores can do both.
        let hint = kind == "gmail"
            ? try await google.accounts(of: user).first { $0.kind == "google" }?.options["email"] : nil
        let scopes = switch (kind, hint) {
        case ("gmail", .some): GoogleScope.mailConnection
        case ("gmail", .none): GoogleScope.calendarConnection + [GoogleScope.gmailModify]
        default: GoogleScope.calendarConnection
        }
        let pkce = PKCE.random()
        // The state is as unguessable as a PKCE verifier; it only names the pending row.
        let state = PKCE.random().verifier
        let now = Date()
        try await authorizations.savePendingAuthorization(PendingAuthorization(
            state: state, userID: user, provider: "google", codeVerifier: pkce.verifier,
            scopes: scopes, chat: chat, createdAt: now,
            expiresAt: now.addingTimeInterval(Self.linkLifetime)))
        return google.oauth.authorizationURL(scopes: scopes, state: state, pkce: pkce, loginHint: hint)
    }

    /// Handles the callback's query and picks the page the browser shows.
    func callback(_ query: [String: String]) async -> OAuthPage {
        var pending: PendingAuthorization?
        if let state = query["state"] {
            do {
                pending = try await authorizations.takePendingAuthorization(state: state, at: Date())
            } catch {
                logger.error("reading a pending Google authorization failed", metadata: ["error": "\(error)"])
                return OAuthPage(status: 500, title: "Something went wrong",
                                 message: "Steward could not check this link. Nothing was stored. Send /connect google in chat to try again.")
            }
        }
        guard let pending else {
            return OAuthPage(status: 400, title: "This link has expired",
                             message: "It was already used, or it is older than 10 minutes, or it was not made by this Steward. "
                                + "Nothing was stored. Send /connect google in chat for a new link.")
        }
        if let refusal = query["error"] {
            await say("Google access wasn't granted (\(refusal)), so nothing was connected. Send /connect google to try again.",
                      to: pending, key: "denied")
            return OAuthPage(status: 400, title: "Not connected",
                             message: "Google answered \"\(refusal)\". Nothing was stored. Send /connect google in chat to try again.")
        }
        guard let code = query["code"], !code.isEmpty else {
            return OAuthPage(status: 400, title: "This link is incomplete",
                             message: "Google's answer carried no authorization code. Nothing was stored. Send /connect google in chat for a new link.")
        }
        do {
            let tokens = try await google.oauth.exchange(code: code, verifier: pending.codeVerifier)
            let (account, email) = try await google.connect(tokens, user: pending.userID)
            await firstSync(account)
            if pending.scopes.contains(GoogleScope.gmailModify), tokens.grants(GoogleScope.gmailModify) {
                // Mail already in the inbox now is never alerted: watching starts here.
                try await mail?.startWatching(account)
                try await google.enableMail(on: account)
                await say("Connected Gmail of \(email). Urgent mail now reaches you here; /inbox shows the rest.",
                          to: pending, key: "connected")
            } else {
                await say("Connected \(email). /today and /free now include its calendars.", to: pending, key: "connected")
            }
            return OAuthPage(status: 200, title: "Connected",
                             message: "Steward can now read the Google Calendar of \(email). You can close this page and go back to the chat.")
        } catch StorageError.noSecretKey {
            await say("I couldn't connect Google: this server has no STEWARD_SECRET_KEY to store its tokens safely. "
                      + "Its owner should run `steward keygen`, set STEWARD_SECRET_KEY and restart; then send /connect google again.",
                      to: pending, key: "failed")
            return OAuthPage(status: 500, title: "Not connected",
                             message: "This Steward has no STEWARD_SECRET_KEY, so it cannot store Google's tokens safely. "
                                + "Run steward keygen, set STEWARD_SECRET_KEY, restart, then send /connect google again.")
        } catch {
            logger.warning("connecting a Google account failed", metadata: ["error": "\(error)"])
            await say("I couldn't connect Google: \(error). Nothing was stored. Send /connect google for a new link.",
                      to: pending, key: "failed")
            return OAuthPage(status: 400, title: "Not connected",
                             message: "\(error). Nothing was stored. Send /connect google in chat for a new link.")
        }
    }

    /// Fills the local copy before saying "Connected", so the first `/today` answers from it — but the
    /// browser waits at most a few seconds; a slow first sync finishes in the background.
    private func firstSync(_ account: Account) async {
        let sync = Task { [google] in await google.sync(account) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await sync.value }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Tells the user in the chat they asked from, through the outbox (stored, sent once).
    private func say(_ text: String, to pending: PendingAuthorization, key: String) async {
        guard let chat = pending.chat else { return }
        do {
            try await outbox.enqueue([(key: "connect:\(pending.state):\(key)",
                                       delivery: .send(chat: chat, message: OutboundMessage(text: text)))], at: Date())
            delivered()
        } catch {
            logger.error("could not queue the connection message", metadata: ["error": "\(error)"])
        }
    }
}
