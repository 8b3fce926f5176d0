import Foundation

/// Steward's tools, named `<domain>_<verb>`, times ISO 8601 with an offset, durations in minutes.
/// Descriptions are short on purpose: every word is sent with every request.
extension ToolRegistry {
    public static let steward = ToolRegistry([
        Tool(name: "calendar_list_events", description: "List the owner's events between two times.",
             parameters: object(["start": dateTime, "end": dateTime], required: ["start", "end"]), risk: .read),
        Tool(name: "calendar_find_free_slots", description: "Find free slots of a duration, optionally shared with attendees.",
             parameters: object(["duration_minutes": minutes, "start": dateTime, "end": dateTime,
                                 "attendees": emails], required: ["duration_minutes", "start", "end"]), risk: .read),
        Tool(name: "calendar_create_event", description: "Create an event (needs the owner's approval).",
             parameters: object(["title": text(200), "start": dateTime, "end": dateTime, "attendees": emails,
                                 "location": text(200)], required: ["title", "start", "end"]), risk: .write),
        Tool(name: "calendar_move_event", description: "Move an event to a new time (needs approval).",
             parameters: object(["event_id": text(256), "start": dateTime, "end": dateTime],
                                required: ["event_id", "start", "end"]), risk: .write),
        Tool(name: "calendar_cancel_event", description: "Cancel an event (needs approval).",
             parameters: object(["event_id": text(256), "notify_attendees": ["type": "boolean"]],
                                required: ["event_id"]), risk: .irreversible),
        Tool(name: "mail_search", description: "Search mail; returns sender, subject, date, snippet.",
             parameters: object(["query": text(200), "max_results": ["type": "integer", "minimum": 1, "maximum": 20]],
                                required: ["query"]), risk: .read),
        Tool(name: "mail_read", description: "Read one message (first 500 characters).",
             parameters: object(["message_id": text(256)], required: ["message_id"]), risk: .read),
        Tool(name: "mail_draft_reply", description: "Draft an email or a reply; nothing is sent.",
             parameters: object(["to": emails, "subject": text(200), "body": text(5000), "reply_to_message_id": text(256)],
                                required: ["to", "body"]), risk: .write),
        Tool(name: "mail_send_draft", description: "Send a draft (needs approval).",
             parameters: object(["draft_id": text(256)], required: ["draft_id"]), risk: .irreversible),
        Tool(name: "mail_archive", description: "Archive messages (needs approval).",
             parameters: object(["message_ids": ["type": "array", "items": text(256), "minItems": 1, "maxItems": 50]],
                                required: ["message_ids"]), risk: .write),
        Tool(name: "settings_update", description: "Change one setting (needs approval).",
             parameters: object(["key": ["type": "string", "enum": ["timezone", "hours", "workdays", "buffer", "quiet",
                                                                    "digest", "triage", "clock", "calendar"]],
                                 "value": text(100)], required: ["key", "value"]), risk: .write),
    ])

    private static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    private static let minutes: JSONValue = ["type": "integer", "minimum": 5, "maximum": 1440]
    private static let emails: JSONValue = ["type": "array", "items": ["type": "string", "format": "email"], "maxItems": 50]

    private static func text(_ maxLength: Int64) -> JSONValue {
        ["type": "string", "minLength": 1, "maxLength": .int(maxLength)]
    }

    private static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string)),
         "additionalProperties": false]
    }
}
