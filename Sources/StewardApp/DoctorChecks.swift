import Foundation
import StewardCore

/// The parts of `steward doctor` that give advice: who owns each platform, whether a calendar URL answers,
/// and errors in words. A fix is always a command to type or a line for bot.env.
enum DoctorChecks {
    /// A platform that is on with nobody allowed to run it answers strangers only: warn, with the fix.
    /// `storedOwners`: owners let in after setup (`steward users allow --owner`, kept in the database).
    static func ownerWarnings(_ configuration: Configuration, storedOwners: [ChatIdentity] = []) -> [String] {
        var on: [(Platform, String)] = []
        if configuration.telegramBotToken != nil { on.append((.telegram, "your numeric Telegram user id")) }
        if configuration.slackBotToken != nil { on.append((.slack, "your Slack member id, U…")) }
        if configuration.hasMatrix { on.append((.matrix, "your Matrix id, @you:server")) }
        return on.compactMap { platform, what in
            guard !(configuration.owners + storedOwners).contains(where: { $0.platform == platform }) else { return nil }
            return "\(platform.rawValue) is on but has no owner, so it answers nobody until one is set — fix: add "
                + "STEWARD_OWNERS=\(platform.rawValue):<\(what)> to bot.env (or run: steward setup, "
                + "or: steward users allow --owner \(platform.rawValue):<id>, or send the bot the one-use owner "
                + "code that steward run prints)"
        }
    }

    /// A published calendar URL is served from its saved copy when the server is down, so reading events
    /// can't tell; ask the server directly. Nil when it answered with a calendar.
    static func unreachableURL(_ account: Account, http: any HTTPFetching) async -> String? {
        guard account.kind == "ics", account.options["file"] == nil,
              let text = account.options["url"], let url = URL(string: text) else { return nil }
        let host = url.host ?? "its server"
        let fix = " — fix: check the address, then run: steward accounts remove \(account.reference) && "
            + "steward accounts add ics --user <identity> --url <new address>"
        do {
            let response = try await http.get(url, etag: nil)
            guard (200...299).contains(response.status) else {
                return "calendar URL on \(host) answered HTTP \(response.status)" + fix
            }
            guard String(decoding: response.body.prefix(512), as: UTF8.self).contains("BEGIN:VCALENDAR") else {
                return "calendar URL on \(host) answered, but not with a calendar (no BEGIN:VCALENDAR)" + fix
            }
            return nil
        } catch {
            return "calendar URL on \(host) is unreachable: \(describe(error))" + fix
        }
    }

    /// An error as a sentence: its own description when it has one written for people, otherwise a plain
    /// phrase — never a Swift type name such as `StorageError.noSecretKey` or `HTTPClientError.connectTimeout`.
    static func describe(_ error: any Error) -> String {
        if let error = error as? LocalizedError, let text = error.errorDescription, !looksLikeTypeName(text, error) {
            return text
        }
        let text = String(describing: error)
        if !looksLikeTypeName(text, error) { return text }
        let lowered = text.lowercased()
        if lowered.contains("timeout") || lowered.contains("timedout") { return "the server did not answer in time" }
        if lowered.contains("refused") { return "the connection was refused (nothing listens there)" }
        if lowered.contains("dns") || lowered.contains("resolve") || lowered.contains("host") {
            return "the host name could not be found"
        }
        if lowered.contains("tls") || lowered.contains("ssl") || lowered.contains("certificate") {
            return "the secure connection failed (TLS certificate or protocol)"
        }
        return "the connection failed"
    }

    /// True when `text` names the error's type (`Foo.bar`, `Foo(bar: …)`, `bar` of an enum), not a sentence.
    private static func looksLikeTypeName(_ text: String, _ error: any Error) -> Bool {
        let typeName = String(describing: type(of: error))
        if text.contains(typeName) { return true }
        if text.hasPrefix("The operation couldn’t be completed") || text.hasPrefix("The operation could not be completed") {
            return true
        }
        // A bare identifier (an enum case printed by default): no space, starts with a letter.
        return !text.contains(" ") && text.first?.isLetter == true
    }
}
