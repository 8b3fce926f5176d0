import Foundation
import LLMPlanner
import StewardCore

/// The read tools the planner may run on its own: the owner's calendars and the triaged mail log.
/// Nothing here changes data; write tools only ever come back as proposals.
struct PlannerReadTools: ToolExecutor {
    let directory: any CalendarDirectory
    /// Triaged mail (sender, subject, date, category — bodies are never stored); nil without mail.
    let mail: (any TriageLog)?
    /// The owner's settings (working hours, buffer, zone) for free-slot searches; nil: not offered.
    var users: (any UserRepository)? = nil
    /// Fetches a mail's text for `mail_read` (bodies are never stored); nil: not offered.
    var gmail: GmailAccess? = nil
    /// How far back `mail_search` looks.
    static let mailHorizon: TimeInterval = 14 * 86_400

    func run(_ call: ValidatedToolCall, userID: String) async throws -> ToolOutput {
        guard let user = User.ID(userID) else { return .note("unknown user") }
        switch call.name {
        case "calendar_list_events":
            guard let start = call.arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
                  let end = call.arguments["end"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime), end > start
            else { return .note("calendar_list_events needs start before end.") }
            let zone = await zone(of: user)
            let (span, note) = ToolLimits.clamp(DateInterval(start: start, end: end), zone: zone)
            return ToolLimits.events(try await events(of: user, in: span), notes: note.map { [$0] } ?? [], zone: zone)
        case "calendar_find_free_slots":
            return try await freeSlots(call, user: user)
        case "mail_search":
            return try await searchMail(of: user, query: call.arguments["query"]?.stringValue ?? "",
                                        limit: Int(call.arguments["max_results"]?.intValue ?? 10))
        case "mail_read":
            return try await readMail(of: user, id: call.arguments["message_id"]?.stringValue ?? "")
        default:
            return .note("\(call.name) is not available in this version; suggest the matching /command instead.")
        }
    }

    /// The zone results are written in: the owner's, as the planner's own rendering uses.
    private func zone(of user: User.ID) async -> TimeZone {
        (try? await users?.settings(of: user).zone) ?? .gmt
    }

    private func events(of user: User.ID, in span: DateInterval) async throws -> [EventSummary] {
        try await directory.events(of: user, in: span).list.map { event in
            EventSummary(id: event.id, title: event.title, start: event.start.instant(in: .gmt),
                         end: event.end.instant(in: .gmt), attendeeCount: event.attendees.count)
        }
    }

    /// `/free`'s search for the model: the owner's working hours and buffer apply; other people are looked
    /// up where a calendar can see them, and the note says whom it could not.
    private func freeSlots(_ call: ValidatedToolCall, user: User.ID) async throws -> ToolOutput {
        guard let users, let minutes = call.arguments["duration_minutes"]?.intValue,
              let start = call.arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
              let end = call.arguments["end"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime), end > start
        else { return .note("calendar_find_free_slots needs duration_minutes and start before end.") }
        let settings = try await users.settings(of: user)
        let attendees = call.arguments["attendees"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let (window, clampNote) = ToolLimits.clamp(DateInterval(start: start, end: end), zone: settings.zone)
        let found = try await FreeTimeSearch(calendars: directory, now: Date(), kinds: .standard).slots(
            minutes: Int(minutes), within: window, attendees: attendees, user: user, settings: settings)
        let slots = found.slots.map { "\(Self.iso($0.start, settings.zone))–\(Self.iso($0.end, settings.zone))" }
        var text = slots.isEmpty ? "no free slot of \(minutes) minutes in that window" : "free: " + slots.joined(separator: ", ")
        if !attendees.isEmpty { text += "\n" + found.others.note }
        if let clampNote { text += "\n" + clampNote }
        return .note(text)
    }

    static func iso(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Recent triaged mail whose sender or subject holds every word of `query` (Gmail-style `from:`
    /// and `subject:` prefixes are accepted and searched the same way), newest first, spam left out.
    private func searchMail(of user: User.ID, query: String, limit: Int) async throws -> ToolOutput {
        let accounts = try await directory.calendars(of: user).map(\.account)
            .filter(\.hasGmail)
        guard let mail, !accounts.isEmpty else {
            return .note("Mail isn't connected; the owner can connect it with /connect gmail.")
        }
        let words = Self.searchWords(query)
        let found = try await mail.triagedMail(accountIDs: accounts.map(\.id), since: Date().addingTimeInterval(-Self.mailHorizon))
            .filter { message in
                let haystack = (message.from + " " + message.subject).lowercased()
                return message.category != .spam && words.allSatisfy(haystack.contains)
            }
            .sorted { $0.receivedAt > $1.receivedAt }
            .prefix(max(1, min(limit, 20)))
        // Bodies are not kept; the category and its reason are Steward's own words, not the sender's.
        return ToolLimits.mails(found.map { message in
            MailSummary(id: message.messageID, from: message.from, subject: message.subject, date: message.receivedAt,
                        body: "(not stored; triaged as \(message.category.rawValue))")
        }, zone: await zone(of: user))
    }

    /// One of the owner's recent mails, fetched for its text; the renderer keeps the first 500 characters
    /// and wraps them as untrusted. Only a mail `mail_search` could have found is read: a made-up id gets a note.
    private func readMail(of user: User.ID, id: String) async throws -> ToolOutput {
        let accounts = try await directory.calendars(of: user).map(\.account).filter(\.hasGmail)
        guard let mail, let gmail, !accounts.isEmpty else {
            return .note("Mail isn't connected; the owner can connect it with /connect gmail.")
        }
        guard let found = try await mail.triagedMail(accountIDs: accounts.map(\.id), since: Date().addingTimeInterval(-Self.mailHorizon))
            .first(where: { $0.messageID == id }) else {
            return .note("No mail with id \(id) in the last 14 days; run mail_search first and use an id it returns.")
        }
        let message = try await gmail.message(account: found.accountID, id: id).message
        return .mails([MailSummary(id: id, from: found.from, subject: found.subject, date: found.receivedAt,
                                   body: message.body.isEmpty ? message.snippet : message.body)])
    }

    static func searchWords(_ query: String) -> [String] {
        query.lowercased().split(whereSeparator: \.isWhitespace).map { word in
            var word = Substring(word)
            for prefix in ["from:", "subject:", "to:"] where word.hasPrefix(prefix) { word = word.dropFirst(prefix.count) }
            return String(word.trimmingCharacters(in: CharacterSet(charactersIn: "\"'()")))
        }.filter { !$0.isEmpty }
    }
}
