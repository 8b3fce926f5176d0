import Foundation
import StewardTesting
import Testing

/// The built binary against a mailbox where a message is deleted before it is fetched, one is 40 MB and
/// one Gmail keeps failing to serve, with an urgent mail from a VIP after them: the VIP's mail is alerted,
/// once, and the 40 MB message is never downloaded whole.
@Suite(.serialized) struct GmailHostileMailboxEndToEndTests {
    @Test func anUrgentVIPMailAfterADeletedAHugeAndAFailingMessageIsAlertedOnce() async throws {
        let world = try await GoogleWorld()
        let steward = try await world.startConnected()
        defer { Task { await world.finish(steward) } }
        _ = try await world.ask("/settings quiet off", answerNumber: 3, steward)
        _ = try await world.ask("/settings triage 1m", answerNumber: 4, steward)
        _ = try await world.ask("/settings vip add boss@example.com", answerNumber: 5, steward)
        try await world.connectGmail(steward, linkNumber: 6)
        let email = GoogleWorld.email

        let deleted = try await world.google.state.addMail(to: email, raw: GmailEndToEndTests.mail(
            from: "Carol <carol@example.com>", subject: "Lunch?", body: "Tomorrow?", id: "gone"))
        await world.google.state.deleteMail(deleted, in: email)
        var huge = Data(GmailEndToEndTests.mail(from: "Dan <dan@example.com>", subject: "The holiday video",
                                                body: "See attached.", id: "huge").utf8)
        huge += Data(repeating: UInt8(ascii: "A"), count: 40 * 1024 * 1024)
        let hugeID = try await world.google.state.addMail(to: email, raw: huge)
        let broken = try await world.google.state.addMail(to: email, raw: GmailEndToEndTests.mail(
            from: "Eve <eve@example.com>", subject: "Quarterly numbers", body: "Attached.", id: "broken"))
        await world.google.state.failFetches(of: broken, in: email, count: 1000)
        _ = try await world.google.state.addMail(to: email, raw: GmailEndToEndTests.mail(
            from: "Boss <boss@example.com>", subject: "Need the board deck by EOD today", body: "Can you send it?", id: "u1"))

        let alerts = { await world.telegram.messages(to: 100).filter { $0.text.hasPrefix("Urgent mail") } }
        try await waitUntil(timeout: .seconds(120)) { await !alerts().isEmpty }
        #expect(try #require(await alerts().first).text.contains("Need the board deck by EOD today"))
        let rawFetches = await world.google.state.requests("gmail.users.messages.get").filter {
            $0.path.hasSuffix("/messages/\(hugeID)") && $0.query("format") == "raw"
        }
        #expect(rawFetches.isEmpty, "the 40 MB message is triaged from its headers")
        // The next cycle retries the failing message but alerts nothing twice.
        let before = await world.google.state.requests("gmail.users.history.list").count
        try await waitUntil(timeout: .seconds(120)) {
            await world.google.state.requests("gmail.users.history.list").count > before
        }
        #expect(await alerts().count == 1)
    }
}
