import Foundation
import Testing
@testable import LLMPlanner

/// What one tool call may cost: spans clamped to 92 days with a note, results cut to 200 rows and 16 KB
/// with how many were left out, proposals of events longer than 14 days refused with the reason.
@Suite struct ToolLimitsTests {
    private let start = Date(timeIntervalSince1970: 1_796_634_000)  // 2026-12-07T10:00:00+01:00

    @Test func aSpanOfEightThousandYearsIsClampedTo92DaysWithANote() throws {
        let asked = DateInterval(start: start, end: start.addingTimeInterval(8_000 * 365.25 * 86_400))
        let (window, note) = ToolLimits.clamp(asked, zone: berlin)
        #expect(window == DateInterval(start: start, duration: 92 * 86_400))
        let text = try #require(note)
        #expect(text.hasPrefix("note: span clamped to 92 days from 2026-12-07T10:00:00+01:00 to 2027-03-09T10:00:00+01:00"))
        let week = DateInterval(start: start, duration: 7 * 86_400)
        #expect(ToolLimits.clamp(week, zone: berlin).window == week)
        #expect(ToolLimits.clamp(week, zone: berlin).note == nil)
    }

    private func events(_ count: Int) -> [EventSummary] {
        (0..<count).map { index in
            let begin = start.addingTimeInterval(TimeInterval(index * 600))
            return EventSummary(id: "e\(index)", title: "Meeting \(index)", start: begin, end: begin.addingTimeInterval(600),
                                attendeeCount: 0)
        }
    }

    @Test func aLongListIsCutToSixteenKilobytesAndSaysHowManyWereLeftOut() throws {
        let output = ToolLimits.events(events(5_000), notes: [], zone: berlin)
        let text = PromptBuilder.render(output, zone: berlin)
        #expect(text.utf8.count <= ToolLimits.maxBytes)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }
        #expect(rows.count > 50 && rows.count <= ToolLimits.maxRows)
        #expect(rows.first?.hasPrefix("id: e0 | ") == true, "the earliest are kept")
        #expect(text.contains("note: \(5_000 - rows.count) of 5000 events left out"), "\(text.prefix(300))")
        #expect(text.contains("<untrusted source=\"calendar\">"), "the listed events stay marked as other people's text")
    }

    @Test func aShortListIsUnchanged() {
        let few = events(3)
        #expect(ToolLimits.events(few, notes: [], zone: berlin) == .events(few))
        let mails = [MailSummary(id: "m1", from: "a@example.com", subject: "Hi", date: start, body: "Hello")]
        #expect(ToolLimits.mails(mails, zone: berlin) == .mails(mails))
    }

    @Test func twentyLongMailsAreCutToSixteenKilobytes() {
        let body = String(repeating: "é", count: 500)  // two bytes each
        let mails = (0..<20).map { MailSummary(id: "m\($0)", from: "a@example.com", subject: "Hi", date: start, body: body) }
        let text = PromptBuilder.render(ToolLimits.mails(mails, zone: berlin), zone: berlin)
        #expect(text.utf8.count <= ToolLimits.maxBytes)
        #expect(text.contains("of 20 messages left out"))
    }

    private func validate(_ name: String, _ arguments: String) -> Result<ValidatedToolCall, ToolRegistry.Refusal> {
        ToolRegistry.steward.validate(ToolCall(id: "c1", name: name, arguments: arguments))
    }

    @Test func aProposedEventLongerThanFourteenDaysIsRefusedWithTheReason() throws {
        let forever = validate("calendar_create_event",
                               #"{"title":"Forever","start":"2026-12-07T10:00:00+01:00","end":"9999-12-07T10:00:00+01:00"}"#)
        guard case .failure(let refusal) = forever else { Issue.record("accepted: \(forever)"); return }
        #expect(refusal.message.contains("calendar_create_event refused"))
        #expect(refusal.message.contains("at most 14 days"))
        let move = validate("calendar_move_event",
                            #"{"event_id":"e1","start":"2026-12-07T10:00:00+01:00","end":"2026-12-22T10:00:01+01:00"}"#)
        guard case .failure = move else { Issue.record("accepted: \(move)"); return }
        // Exactly two weeks is still an event one may book (a holiday).
        let fortnight = validate("calendar_create_event",
                                 #"{"title":"Holiday","start":"2026-12-07T00:00:00+01:00","end":"2026-12-21T00:00:00+01:00"}"#)
        #expect((try? fortnight.get()) != nil)
    }
}
