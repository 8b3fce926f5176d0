import Foundation
import GoogleWorkspace
import ICalendar
import StewardCore
import Synchronization

/// Builds one provider per connected account and keeps it, so each provider's parse cache lives on.
final class AccountCalendarDirectory: CalendarDirectory, Sendable {
    private let accounts: any AccountRepository
    private let users: any UserRepository
    private let http: any HTTPFetching
    private let dataDirectory: URL
    private let google: GoogleCalendars?
    private let cache = Mutex<[Int64: any CalendarProvider]>([:])

    init(accounts: any AccountRepository, users: any UserRepository, http: any HTTPFetching, dataDirectory: URL,
         google: GoogleCalendars?) {
        self.accounts = accounts
        self.users = users
        self.http = http
        self.dataDirectory = dataDirectory
        self.google = google
    }

    func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] {
        let zone = try await users.settings(of: user).zone
        return try await accounts.accounts(of: user).compactMap { account in
            guard let provider = provider(for: account, zone: zone) else { return nil }
            return (account, provider)
        }
    }

    private func provider(for account: Account, zone: TimeZone) -> (any CalendarProvider)? {
        if account.kind == "google" {
            // Cheap to make, and the account's status and the user's zone may have changed since.
            return google.map { GoogleCalendarCopy(account: account, google: $0, zone: zone) }
        }
        if let known = cache.withLock({ $0[account.id] }) { return known }
        let made: (any CalendarProvider)?
        switch (account.kind, account.options["file"], account.options["url"].flatMap(URL.init(string:))) {
        case ("ics", let file?, _):
            made = ICSFileProvider(accountID: account.reference, fileURL: URL(fileURLWithPath: file),
                                   defaultTimeZone: zone)
        case ("ics", nil, let url?):
            let cacheFile = dataDirectory.appendingPathComponent("cache/ics-\(account.id).ics")
            made = ICSURLProvider(accountID: account.reference, url: url, http: http, defaultTimeZone: zone,
                                  cacheFile: cacheFile)
        default:
            made = nil
        }
        if let made { cache.withLock { $0[account.id] = made } }
        return made
    }
}
