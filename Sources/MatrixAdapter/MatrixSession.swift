import Foundation
import Logging

/// A logged-in session kept between runs (sealed at rest by the store behind `MatrixSessionStore`).
public struct MatrixStoredSession: Codable, Sendable, Equatable {
    public var homeserver: String
    public var userID: String
    public var accessToken: String
    public var deviceID: String?

    public init(homeserver: String, userID: String, accessToken: String, deviceID: String?) {
        self.homeserver = homeserver
        self.userID = userID
        self.accessToken = accessToken
        self.deviceID = deviceID
    }
}

/// Where a password login's token and device id are kept; the app seals them with `STEWARD_SECRET_KEY`.
public protocol MatrixSessionStore: Sendable {
    func load() async throws -> MatrixStoredSession?
    func save(_ session: MatrixStoredSession) async throws
}

/// Signs Steward in. `MATRIX_ACCESS_TOKEN` first: the user comes from `/account/whoami`. Otherwise
/// `MATRIX_USER_ID` + `MATRIX_PASSWORD`: the stored session is reused while the homeserver accepts it; only
/// when it doesn't (or there is none) does Steward log in — with the stored device id, so a restart never
/// adds a device (and the homeserver keeps deduplicating txnIds, which are per device).
public struct MatrixSession: Sendable {
    public enum Credentials: Sendable {
        case accessToken(String)
        case password(userID: String, password: String)
    }

    let client: HTTPMatrixClient
    let homeserver: URL
    let credentials: Credentials
    let store: (any MatrixSessionStore)?
    let logger: Logger

    public init(client: HTTPMatrixClient, homeserver: URL, credentials: Credentials, store: (any MatrixSessionStore)?,
                logger: Logger = Logger(label: "steward.matrix")) {
        self.client = client
        self.homeserver = homeserver
        self.credentials = credentials
        self.store = store
        self.logger = logger
    }

    /// Signs in (if needed) and returns who Steward is. Throws `MatrixError` when the homeserver refuses.
    public func start() async throws -> MatrixWhoAmI {
        switch credentials {
        case .accessToken(let token):
            client.setAccessToken(token)
            return try await client.whoami()
        case .password(let userID, let password):
            let stored = try await store?.load()
            let mine = stored.flatMap { $0.userID == userID && $0.homeserver == homeserver.absoluteString ? $0 : nil }
            if let mine {
                client.setAccessToken(mine.accessToken)
                do {
                    return try await client.whoami()
                } catch let error as MatrixError where error.isUnauthorized {
                    logger.warning("the stored Matrix session was refused; logging in again on the same device")
                }
            }
            let login = try await client.login(user: userID, password: password, deviceID: mine?.deviceID)
            client.setAccessToken(login.accessToken)
            let session = MatrixStoredSession(homeserver: homeserver.absoluteString, userID: login.userID ?? userID,
                                              accessToken: login.accessToken, deviceID: login.deviceID ?? mine?.deviceID)
            try await store?.save(session)
            return try await client.whoami()
        }
    }
}
