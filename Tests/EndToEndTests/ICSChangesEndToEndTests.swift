import Foundation
import StewardTesting
import Testing

/// The real binary on the console with a local .ics file: a booking with attendees is honest about who is
/// told, and `/move` and `/cancel` change the file like any other calendar, visible in the next answer.
@Suite(.serialized) struct ICSChangesEndToEndTests {
    @Test func anICSFileBooksWithoutClaimingInvitationsAndMovesAndCancels() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let calendarFile = try writeCalendar(in: workspace)
        let add = try StewardProcess(["accounts", "add", "ics", "--user", "console:tester", "--file", calendarFile.path],
                                     environment: [:], directory: workspace)
        #expect(try await add.exitStatus() == 0)
        let steward = try StewardProcess(environment: [:], directory: workspace)

        let card = try await steward.ask("/book Retro tomorrow 15:00 with bob@example.com", expecting: "Reject")
        #expect(card.contains("Attendees won't be notified (this calendar can't send invitations)"), "\(card)")
        #expect(!card.contains("don't notify") && !card.contains("will be notified"), "\(card)")
        let added = try await steward.ask("1", expecting: "Added")
        #expect(!added.contains("Invitations were sent"), "\(added)")
        #expect(added.contains("Attendees were not notified"), "\(added)")
        let unfolded = try String(contentsOf: calendarFile, encoding: .utf8).replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.components(separatedBy: "mailto:bob@example.com").count == 2, "written down once")

        let move = try await steward.ask("/move Design review to tomorrow 12:00", expecting: "Reject")
        #expect(move.contains("Move “Design review”"), "\(move)")
        let moved = try await steward.ask("1", expecting: "Moved")
        #expect(moved.contains("12:00–13:00"), "\(moved)")
        #expect(try occurrences(of: "UID:review-1@example.com", in: calendarFile) == 1)
        #expect(try occurrences(of: "T120000", in: calendarFile) == 1)
        let tomorrow = try await steward.ask("/tomorrow", expecting: "Design review")
        #expect(tomorrow.contains("12:00–13:00 Design review") && !tomorrow.contains("10:00–11:00"), "\(tomorrow)")

        _ = try await steward.ask("/cancel Retro", expecting: "Reject")
        _ = try await steward.ask("1", expecting: "Cancelled")
        #expect(try occurrences(of: "SUMMARY:Retro", in: calendarFile) == 0)
        let after = try await steward.ask("/tomorrow", expecting: "Design review")
        #expect(!after.contains("Retro"), "\(after)")
        steward.closeInput()
        #expect(try await steward.exitStatus() == 0)
    }
}
