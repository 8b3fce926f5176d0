import Foundation
import StewardTesting
import Testing

/// The daily digest, the whole app in this process: pushed at the user's local time, once, also after a
/// restart on the same database. (The `kill -9` variant stays in EndToEndTests.)
@Suite struct DigestAppTests {
    @Test func theDigestArrivesAtTheLocalTimeOnceAcrossARestart() async throws {
        try await AppWorld.run(calendarFile: true) { world in
            let first = try await world.boot()
            // Now, to the minute, in Berlin (by the app's clock): the digest is due at once.
            let formatter = DateFormatter()
            formatter.timeZone = AppWorld.berlin
            formatter.dateFormat = "HH:mm"
            _ = try await world.ask("/settings digest \(formatter.string(from: world.clock.now))", answerNumber: 1)
            let digests = { await world.messages().filter { $0.text.hasPrefix("Your day") } }
            try await first.runDueJobs()
            let seen = await world.messages().map(\.text)
            let digest = try #require(await digests().first, "\(seen)")
            // Today's agenda only: the calendar's one event is tomorrow.
            #expect(digest.text.contains("No events") && !digest.text.contains("Design review"), "\(digest.text)")
            try await first.stop()

            let second = try await world.boot()
            let status = try await world.ask("/status", answerNumber: 3)
            #expect(status.text.contains("Job daily-digest"), "\(status.text)")
            // Two more digest checks pass without a second digest.
            for _ in 0..<2 {
                world.clock.advance(by: 31)
                try await second.runDueJobs()
            }
            #expect(await digests().count == 1)
            #expect(await world.messages().count == 3)
        }
    }
}
