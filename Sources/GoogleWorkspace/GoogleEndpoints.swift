import Foundation

/// Where Google lives: `GOOGLE_AUTH_URL`, `GOOGLE_TOKEN_URL` and `GOOGLE_API_URL`. Every one is
/// overridable so tests, proxies and simulators can stand in for Google.
public struct GoogleEndpoints: Sendable, Hashable {
    /// The consent page the user opens (`GOOGLE_AUTH_URL`).
    public var authorizationURL: URL
    /// Where codes and refresh tokens are exchanged (`GOOGLE_TOKEN_URL`).
    public var tokenURL: URL
    /// The API root (`GOOGLE_API_URL`): Calendar at `{apiURL}/calendar/v3/…`, Gmail at `{apiURL}/gmail/v1/…`.
    public var apiURL: URL

    public init(authorizationURL: URL, tokenURL: URL, apiURL: URL) {
        self.authorizationURL = authorizationURL
        self.tokenURL = tokenURL
        self.apiURL = apiURL
    }

    /// Google's public endpoints.
    public static let google = GoogleEndpoints(
        authorizationURL: URL(string: "https://accounts.google.com/o/oauth2/v2/auth")!,
        tokenURL: URL(string: "https://oauth2.googleapis.com/token")!,
        apiURL: URL(string: "https://www.googleapis.com")!)
}

/// The OAuth client registered in the Google Cloud console (`GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET`).
/// Its description hides the secret, so logging a configuration never leaks it.
public struct GoogleClientCredentials: Sendable, Hashable, CustomStringConvertible {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public var description: String { "GoogleClientCredentials(clientID: \(clientID), clientSecret: <redacted>)" }
}

/// The OAuth scopes Steward asks for. Scopes are requested incrementally: calendar when an account is
/// connected, Gmail only when the user connects mail on the same account.
public enum GoogleScope {
    public static let openID = "openid"
    public static let email = "email"
    /// Read and write every calendar of the account, and query free/busy.
    public static let calendar = "https://www.googleapis.com/auth/calendar"
    /// Read, label and archive mail; send drafts.
    public static let gmailModify = "https://www.googleapis.com/auth/gmail.modify"

    /// What `/connect google` asks for: the calendar, plus `openid email` so the account's address
    /// arrives in the ID token.
    public static let calendarConnection = [openID, email, calendar]
    /// What `/connect gmail` adds on an account already connected.
    public static let mailConnection = [openID, email, gmailModify]
}
