import Foundation

/// What one tool call may cost. The model chooses its arguments freely (a span of 8,000 years, an event
/// lasting a century), so every read is bounded before it runs and every result after: a clamped span and
/// a shortened result say so in the result, so the model never takes a part for the whole.
public enum ToolLimits {
    /// The longest span a read tool looks at; longer ones are read from their start for this long.
    public static let maxSpan: TimeInterval = 92 * 86_400
    /// The most rows (events, mails) one result lists.
    public static let maxRows = 200
    /// The most bytes (UTF-8) one result takes; rows past it are left out whole.
    public static let maxBytes = 16 * 1024
    /// The longest event the model may propose to create or move to.
    public static let maxProposedEvent: TimeInterval = 14 * 86_400

    /// `window`, or its first `maxSpan` with a note saying so (times written in `zone`).
    public static func clamp(_ window: DateInterval, zone: TimeZone) -> (window: DateInterval, note: String?) {
        guard window.duration > maxSpan else { return (window, nil) }
        let clamped = DateInterval(start: window.start, duration: maxSpan)
        let note = "note: span clamped to \(Int(maxSpan / 86_400)) days from \(PromptBuilder.isoTime(window.start, zone)) "
            + "to \(PromptBuilder.isoTime(clamped.end, zone)) (asked until \(PromptBuilder.isoTime(window.end, zone))); "
            + "nothing after \(PromptBuilder.isoTime(clamped.end, zone)) was read. Ask again from there for later times."
        return (clamped, note)
    }

    /// Events as `PromptBuilder` renders them, after `notes`, cut to `maxRows` rows and `maxBytes` bytes
    /// with a note saying how many were left out. Unchanged `.events` when there is nothing to say.
    public static func events(_ events: [EventSummary], notes: [String], zone: TimeZone) -> ToolOutput {
        let lines = events.map { event in
            "id: \(event.id) | \(PromptBuilder.isoTime(event.start, zone))–\(PromptBuilder.isoTime(event.end, zone)) | "
                + "\(PromptBuilder.oneLine(event.title, 120)) | attendees: \(event.attendeeCount)"
        }
        if notes.isEmpty && fits(lines, separator: "\n") { return .events(events) }
        return .note(capped(lines, separator: "\n", source: "calendar", noun: "events", notes: notes,
                            empty: "no events"))
    }

    /// Mails as `PromptBuilder` renders them, cut like `events`. Unchanged `.mails` when they fit.
    public static func mails(_ mails: [MailSummary], zone: TimeZone) -> ToolOutput {
        let items = mails.map { mail in
            "id: \(mail.id)\nfrom: \(PromptBuilder.oneLine(mail.from, 120))\n"
                + "subject: \(PromptBuilder.oneLine(mail.subject, 200))\n"
                + "date: \(PromptBuilder.isoTime(mail.date, zone))\nbody: \(String(mail.body.prefix(PromptBuilder.mailBodyLimit)))"
        }
        if fits(items, separator: "\n---\n") { return .mails(mails) }
        return .note(capped(items, separator: "\n---\n", source: "mail", noun: "messages", notes: [],
                            empty: "no messages"))
    }

    /// Room kept for the wrapper and the "left out" note.
    private static let reserve = 400

    private static func fits(_ rows: [String], separator: String) -> Bool {
        rows.count <= maxRows
            && rows.reduce(0, { $0 + $1.utf8.count + separator.utf8.count }) <= maxBytes - reserve
    }

    private static func capped(_ rows: [String], separator: String, source: String, noun: String, notes: [String],
                               empty: String) -> String {
        var used = notes.reduce(0) { $0 + $1.utf8.count + 1 }
        var kept: [String] = []
        for row in rows.prefix(maxRows) {
            let size = row.utf8.count + separator.utf8.count
            guard used + size <= maxBytes - reserve else { break }
            kept.append(row)
            used += size
        }
        var head = notes
        if kept.count < rows.count {
            head.append("note: \(rows.count - kept.count) of \(rows.count) \(noun) left out (results list at most "
                        + "\(maxRows) rows and \(maxBytes / 1024) KB); the first \(kept.count) are below. "
                        + "Ask for a shorter span to see the rest.")
        }
        let body = kept.isEmpty ? empty : PromptBuilder.untrusted(source, kept.joined(separator: separator))
        return (head + [body]).joined(separator: "\n")
    }
}

extension ToolRegistry {
    /// A write call the schema allows but Steward won't propose, worded for the model; nil when it may go
    /// on to become a card. An event longer than `ToolLimits.maxProposedEvent` is refused: no card is made.
    static func policyRefusal(_ tool: Tool, _ arguments: [String: JSONValue]) -> Refusal? {
        guard tool.name == "calendar_create_event" || tool.name == "calendar_move_event",
              let start = arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
              let end = arguments["end"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
              end.timeIntervalSince(start) > ToolLimits.maxProposedEvent else { return nil }
        let days = Int((end.timeIntervalSince(start) / 86_400).rounded(.down))
        return Refusal(message: "error: \(tool.name) refused: the event would last \(days) days; an event may last "
                       + "at most \(Int(ToolLimits.maxProposedEvent / 86_400)) days. Nothing was proposed to the owner. "
                       + "Check start and end, or propose a shorter event.")
    }
}
