import Foundation
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardApp

/// One mail never blocks the others: against the fake Gmail, a message deleted before it is fetched, a
/// 40 MB message and a message Gmail fails to serve come before an urgent mail from a VIP, which is
/// still alerted once; the history cursor moves on; a failing cycle backs off and shows in /status.
@Suite(.serialized) struct GmailTriageResilienceTests {
    static let forty = 40 * 1024 * 1024

    @Test func aDeletedAHugeAndAFailingMessageDontKeepAnUrgentVIPMailFromBeingAlertedOnce() async throws {
        try await GmailWorld.run { world in
            let triage = world.triage()
            try await triage.startWatching(world.account)
            let start = try #require(try await world.store.value(GmailTriage.historyKey(world.account)))

            let deleted = try await world.deliver(from: "Carol <carol@example.com>", subject: "Lunch?")
            await world.state.deleteMail(deleted, in: GmailWorld.email)
            var attachment = Data("--b1\r\nContent-Type: application/octet-stream; name=\"video.bin\"\r\n".utf8)
            attachment += Data("Content-Transfer-Encoding: base64\r\n\r\n".utf8)
            attachment += Data(repeating: UInt8(ascii: "A"), count: Self.forty) + Data("\r\n--b1--\r\n".utf8)
            let huge = try await world.deliver(from: "Dan <dan@example.com>", subject: "The holiday video",
                                               body: "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n",
                                               contentType: "multipart/mixed; boundary=\"b1\"",
                                               extraBody: attachment)
            let broken = try await world.deliver(from: "Eve <eve@example.com>", subject: "Quarterly numbers")
            await world.state.failFetches(of: broken, in: GmailWorld.email, count: 100)
            let urgent = try await world.deliver(from: "Boss <boss@example.com>", subject: "Need the board deck by EOD today",
                                                 body: "Can you send it?")

            try await triage.runDue()

            #expect(try await world.alertQueued(for: urgent), "the VIP's urgent mail is alerted")
            let cursor = try #require(try await world.store.value(GmailTriage.historyKey(world.account)))
            #expect(cursor != start, "the history cursor moved past everything listed")
            let triaged = try await world.store.triagedMail(accountIDs: [world.account.id], since: .distantPast)
            #expect(triaged.contains { $0.messageID == huge && $0.subject == "The holiday video" },
                    "the 40 MB message is triaged from its headers")
            #expect(await world.fetches(of: huge, format: "raw") == 0, "the 40 MB message is never fetched whole")
            #expect(!triaged.contains { $0.messageID == deleted || $0.messageID == broken })

            // The next cycles try the broken message again, a few times only, and never alert twice.
            for _ in 0..<5 {
                try await world.advanceClock(by: 120)
                try await triage.runDue()
            }
            #expect(await world.fetches(of: broken) == GmailTriage.maxFetchAttempts)
            #expect(await world.fetches(of: urgent, format: "raw") == 1, "handled once, not again each cycle")
            let alerts = try await world.store.due(platform: .telegram, at: Date().addingTimeInterval(60), limit: 100)
            #expect(alerts.count == 1)
            let status = await RuntimeStatus(startedAt: Date(), outbox: world.store, state: world.store, jobs: world.store,
                                             platforms: []).statusLines()
            #expect(status.contains { $0.contains("Mail triage for \(world.account.label): 1 message(s) skipped") },
                    "\(status)")
        }
    }

    @Test func aFailingCycleBacksOffShowsInStatusAndRecovers() async throws {
        try await GmailWorld.run { world in
            let triage = world.triage()
            try await triage.startWatching(world.account)
            let failures = 4
            await world.state.failNext(failures, with: .internalServerError, method: "gmail.users.history.list")
            // Twenty ticks of the job, 30 s apart (ten minutes); the triage interval is one minute.
            for _ in 0..<20 {
                try await triage.runDue()
                try await world.advanceClock(by: 30)
            }
            let tries = await world.state.requests("gmail.users.history.list").count
            #expect(tries <= 4, "backing off: \(tries) tries in ten minutes, not one a minute")
            let status = await RuntimeStatus(startedAt: Date(), outbox: world.store, state: world.store, jobs: world.store,
                                             platforms: []).statusLines()
            let line = try #require(status.first { $0.hasPrefix("Mail triage for \(world.account.label): failing since") },
                                    "\(status)")
            #expect(line.contains("next try") && line.contains("last error"), "\(line)")

            // Gmail answers again: the next try after the wait succeeds and the line is gone.
            var healthy = false
            for _ in 0..<200 where !healthy {
                try await world.advanceClock(by: 60)
                try await triage.runDue()
                healthy = await world.state.requests("gmail.users.history.list").count > failures
            }
            #expect(healthy)
            let after = await RuntimeStatus(startedAt: Date(), outbox: world.store, state: world.store, jobs: world.store,
                                            platforms: []).statusLines()
            #expect(!after.contains { $0.contains("failing since") }, "\(after)")
        }
    }
}
