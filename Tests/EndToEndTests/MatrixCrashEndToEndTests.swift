import Foundation
import StewardTesting
import Testing

/// Crashes and rate limits on a real Synapse: every message arrives once, in order.
@Suite(.serialized) struct MatrixCrashEndToEndTests {
    static let asks = ["/help", "/tomorrow", "/settings", "/approvals", "/accounts", "/whoami", "/plans", "/memory",
                       "/status", "/inbox", "/week", "/next"]

    /// The answer to each of `asks` names something only that answer says.
    static func expectInOrder(_ answers: [MatrixTestEvent]) {
        let marks = ["/today", "Design review", "timezone", "approval", "work", "who you are", "remind", "remember",
                     "Steward", "mail", "Design review", ""]
        for (answer, mark) in zip(answers, marks) where !mark.isEmpty {
            #expect(answer.body.localizedCaseInsensitiveContains(mark), "expected \"\(mark)\" in \(answer.body.prefix(200))")
        }
    }

    @Test func killNineWithAPendingCardAndUnsentAnswersLosesNothingAndSendsNothingTwice() async throws {
        let world = try await MatrixWorld()
        let first = try world.start()
        let room = try await world.directChat(of: world.owner, first)
        try await world.owner.say("/book Physio tomorrow 16:00 for 30m", in: room)
        let card = try await world.waitForMessages(1, in: room, first)[0]
        try await waitUntil(timeout: .seconds(20)) { (try? await world.stewardReactions(on: card.eventID, in: room).count) == 2 }
        // Twelve questions at once: Steward's account may send 2 a second, so most answers still wait in the
        // outbox (or in a rate-limit pause) when the process dies.
        for ask in Self.asks { try await world.owner.say(ask, in: room) }
        try await world.waitForMessages(3, in: room, first)
        first.kill9()
        let beforeRestart = try await world.stewardMessages(in: room).count
        #expect(beforeRestart < 1 + Self.asks.count, "the crash came too late to leave anything unsent")

        let second = try world.start()
        defer { world.finish(second) }
        let all = try await world.waitForMessages(1 + Self.asks.count, in: room, timeout: .seconds(60), second)
        Self.expectInOrder(Array(all.dropFirst()))
        // ✅ on the card from before the crash still decides it, once.
        try await world.owner.react("✅", to: card.eventID, in: room)
        try await waitUntil(timeout: .seconds(20)) { (try? await world.edits(of: card.eventID, in: room).count) == 1 }
        #expect(try world.occurrences("SUMMARY:Physio") == 1)
        try await world.owner.say("!help", in: room)
        try await world.waitForMessages(2 + Self.asks.count, in: room, second)
        #expect(try await world.stewardMessages(in: room).count == 2 + Self.asks.count)
        #expect(try await world.edits(of: card.eventID, in: room).count == 1)
        // The restart reused the stored login: Steward's account has its registration device and one of its own.
        #expect(try await world.bot.devices().count == 2)
    }

    @Test func aBurstThatHitsTheRateLimitDeliversEverythingOnceInOrder() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let room = try await world.directChat(of: world.owner, steward)
        for ask in Self.asks { try await world.owner.say(ask, in: room) }
        let answers = try await world.waitForMessages(Self.asks.count, in: room, timeout: .seconds(60), steward)
        Self.expectInOrder(answers)
        // The homeserver did say M_LIMIT_EXCEEDED: Steward waited it out rather than dropping anything.
        #expect(steward.stderr.contains("Matrix rate limit"))
        try await world.owner.say("!help", in: room)
        try await world.waitForMessages(Self.asks.count + 1, in: room, steward)
        #expect(try await world.stewardMessages(in: room).count == Self.asks.count + 1)
    }

    @Test func anEncryptedRoomIsToldOnceThatStewardCannotReadItAndStatusCountsIt() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let secret = try await world.owner.createDirectChat(with: world.bot.userID, encrypted: true)
        try await world.waitForJoin(secret, steward)
        let ciphertext: [String: Any] = ["algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnB…",
                                         "session_id": "s1", "sender_key": "k1", "device_id": "DEV"]
        try await world.owner.send("m.room.encrypted", ciphertext, in: secret)
        let notice = try await world.waitForMessages(1, in: secret, steward)[0]
        #expect(notice.body.contains("can't read encrypted messages"))
        #expect(notice.body.contains("Pantalaimon"))
        #expect(notice.formattedBody == nil)
        try await world.owner.send("m.room.encrypted", ciphertext, in: secret)
        // In a plain DM, /status counts both and names the fix.
        let plain = try await world.directChat(of: world.owner, steward)
        // The second event may still be on its way: ask again until it is counted (a few times at most).
        var counted = false
        for attempt in 1...10 where !counted {
            try await world.owner.say("/status", in: plain)
            let answers = try await world.waitForMessages(attempt, in: plain, steward)
            counted = answers[attempt - 1].body.contains("2 encrypted message(s)")
        }
        #expect(counted)
        let metrics = try await world.metrics()
        #expect(metrics.contains("steward_matrix_undecryptable_events 2"))
        #expect(metrics.contains("steward_matrix_last_sync_seconds "))
        #expect(try await world.stewardMessages(in: secret).count == 1)
    }
}
