import Foundation
import GoogleWorkspace
import Logging
import StewardCore
import StewardHTTP
import StewardRuntime
import StewardStorage

/// Google's part of the composition root, present when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set.
struct GoogleParts: Sendable {
    let calendars: GoogleCalendars
    let connect: GoogleConnect
    let mail: GmailTriage

    init?(configuration: Configuration, store: SQLiteStore, http: any HTTPTransport, classifier: MailClassifier?,
          clock: StewardClock, notifier: HomeChatNotifier, delivered: @escaping @Sendable () -> Void, logger: Logger) {
        guard let clientID = configuration.googleClientID, let clientSecret = configuration.googleClientSecret else {
            return nil
        }
        let endpoints = GoogleEndpoints(authorizationURL: configuration.googleAuthURL,
                                        tokenURL: configuration.googleTokenURL, apiURL: configuration.googleAPIURL)
        let oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: clientID, clientSecret: clientSecret),
                                redirectURI: configuration.publicURL.appendingPathComponent(
                                    String(GoogleConnect.callbackPath.dropFirst())),
                                endpoints: endpoints, transport: http)
        calendars = GoogleCalendars(oauth: oauth, apiURL: configuration.googleAPIURL, transport: http, accounts: store,
                                    copies: store, syncInterval: TimeInterval(configuration.calendarSyncSeconds),
                                    logger: logger)
        mail = GmailTriage(google: calendars, store: store, classifier: classifier, delivered: delivered, logger: logger,
                           clock: clock)
        var connector = GoogleConnect(google: calendars, authorizations: store, outbox: store, delivered: delivered,
                                      logger: logger)
        connector.mail = mail
        let connect = connector
        self.connect = connect
        // One DM, with a fresh link, when an account's access stops working (GoogleCalendars calls this once).
        calendars.onNeedsReconnect { account in
            guard let chat = try? await notifier.homeChat(of: account.userID) else { return }
            do {
                let link = try await connect.authorizationLink(for: "google", user: account.userID, chat: chat)
                let text = "Google access for \(account.label) stopped working (it was revoked or has expired), so "
                    + "I can't see changes to that calendar. Reconnect it here — the link works once, within 10 minutes:\n"
                    + link.absoluteString + "\n(Later, send /connect google for a new link.)"
                try await notifier.push(OutboundMessage(text: text), to: account.userID,
                                        key: "google-reconnect:\(account.id):\(Int(Date().timeIntervalSince1970))")
            } catch {
                logger.error("could not send the Google reconnect message", metadata: ["error": "\(error)"])
            }
        }
    }

    var jobs: [Scheduler.Job] {
        let (calendars, mail) = (calendars, mail)
        return [
            .init(name: "calendar-sync", interval: calendars.syncInterval) { try await calendars.syncAll() },
            // Each account runs at its owner's `/settings triage` interval; this only looks twice a minute.
            .init(name: "mail-triage", interval: 30) { try await mail.runDue() },
        ]
    }
}
