import Foundation
import Testing
@testable import LLMPlanner

@Suite("JSON Schema validator and tool registry")
struct SchemaValidatorTests {
    let registry = ToolRegistry.steward

    func validate(_ name: String, _ arguments: String) -> Result<ValidatedToolCall, ToolRegistry.Refusal> {
        registry.validate(ToolCall(id: "call_1", name: name, arguments: arguments))
    }

    @Test func everyDocumentedToolIsRegisteredWithItsRisk() {
        let risks = Dictionary(uniqueKeysWithValues: registry.tools.map { ($0.name, $0.risk) })
        #expect(risks == [
            "calendar_list_events": .read, "calendar_find_free_slots": .read, "calendar_create_event": .write,
            "calendar_move_event": .write, "calendar_cancel_event": .irreversible, "mail_search": .read,
            "mail_read": .read, "mail_draft_reply": .write, "mail_send_draft": .irreversible,
            "mail_archive": .write, "settings_update": .write,
        ])
        for tool in registry.tools {
            #expect(tool.parameters["type"] == "object")
            #expect(tool.parameters["additionalProperties"] == false)
        }
    }

    @Test func validArgumentsPass() throws {
        let call = try validate("calendar_list_events", #"{"start":"2026-11-21T00:00:00+01:00","end":"2026-11-22T00:00:00Z"}"#).get()
        #expect(call.arguments["start"] == "2026-11-21T00:00:00+01:00")
        _ = try validate("calendar_find_free_slots",
                         #"{"duration_minutes":30,"start":"2026-11-21T09:00+01:00","end":"2026-11-21T18:00:00.000+01:00","attendees":["sarah@example.com"]}"#).get()
        _ = try validate("settings_update", #"{"key":"buffer","value":"15m"}"#).get()
        _ = try validate("mail_search", #"{"query":"from:sarah","max_results":5.0}"#).get()
    }

    @Test func timesWithoutOffsetAreRefused() {
        guard case .failure(let refusal) = validate("calendar_list_events", #"{"start":"2026-11-21T09:00:00","end":"tomorrow"}"#) else {
            Issue.record("accepted a time without an offset")
            return
        }
        #expect(refusal.message.contains("start: expected an ISO 8601 date-time with an offset"))
        #expect(refusal.message.contains("end: expected an ISO 8601"))
    }

    @Test func eachRuleOfTheSubsetIsEnforced() {
        let cases: [(String, String, String)] = [
            ("mail_search", #"{}"#, "query: required"),
            ("mail_search", #"{"query":"x","limit":3}"#, "limit: unknown property"),
            ("mail_search", #"{"query":"x","max_results":0}"#, "max_results: at least 1"),
            ("mail_search", #"{"query":"x","max_results":99}"#, "max_results: at most 20"),
            ("mail_search", #"{"query":"x","max_results":2.5}"#, "max_results: expected an integer"),
            ("mail_search", #"{"query":""}"#, "query: at least 1 characters"),
            ("mail_search", #"{"query":42}"#, "query: expected a string"),
            ("settings_update", #"{"key":"root","value":"x"}"#, "key: must be one of"),
            ("mail_draft_reply", #"{"to":["not-an-address"],"body":"hi"}"#, "to[0]: expected an email address"),
            ("mail_draft_reply", #"{"to":"a@b.example","body":"hi"}"#, "to: expected an array"),
            ("calendar_cancel_event", #"{"event_id":"e1","notify_attendees":"yes"}"#, "expected true or false"),
            ("mail_archive", #"{"message_ids":[]}"#, "at least 1 items"),
            ("mail_read", #"["m1"]"#, "expected an object"),
        ]
        for (tool, arguments, expected) in cases {
            guard case .failure(let refusal) = validate(tool, arguments) else {
                Issue.record("\(tool) accepted \(arguments)")
                continue
            }
            #expect(refusal.message.contains(expected), "\(refusal.message)")
        }
    }

    @Test func unknownToolsAndBrokenJSONAreRefusedWithAHelpfulMessage() {
        guard case .failure(let unknown) = validate("mail_forward_all", "{}") else { Issue.record("accepted"); return }
        #expect(unknown.message.contains("unknown tool"))
        #expect(unknown.message.contains("mail_search"))
        guard case .failure(let broken) = validate("mail_read", #"{"message_id": "m1""#) else { Issue.record("accepted"); return }
        #expect(broken.message.contains("not valid JSON"))
    }
}
