import Foundation
import Testing
@testable import StewardCore

/// Facts in memory, for the orchestrator without a database (search: every word, any order; the real
/// FTS5 search is tested against SQLite in `MemoryStorageTests`).
actor FactBox: MemoryRepository, MailRuleHistory {
    private(set) var stored: [MemoryFact] = []
    var taps: [MailRuleTap] = []

    func setTaps(_ taps: [MailRuleTap]) { self.taps = taps }
    func mailRuleTaps(of user: User.ID) -> [MailRuleTap] { taps }

    func saveFact(_ fact: NewFact, of user: User.ID, at date: Date) -> MemoryFact {
        var supersedes = fact.supersedes
        if let old = supersedes, let index = stored.firstIndex(where: { $0.id == old && $0.userID == user }) {
            if fact.status == .active { stored[index].status = .superseded }
        } else {
            supersedes = nil
        }
        let saved = MemoryFact(id: Int64(stored.count + 1), userID: user, text: fact.text, source: fact.source,
                               reference: fact.reference, status: fact.status, createdAt: date, supersedes: supersedes)
        stored.append(saved)
        return saved
    }
    func fact(id: MemoryFact.ID, of user: User.ID) -> MemoryFact? { stored.first { $0.id == id && $0.userID == user } }
    func facts(of user: User.ID, statuses: Set<MemoryFact.Status>, limit: Int) -> [MemoryFact] {
        Array(stored.filter { $0.userID == user && statuses.contains($0.status) }.reversed().prefix(limit))
    }
    func searchFacts(_ query: String, of user: User.ID, limit: Int) -> [MemoryFact] {
        let words = query.lowercased().split(separator: " ")
        return Array(facts(of: user, statuses: [.active], limit: .max).filter { fact in
            words.contains { fact.text.lowercased().contains($0) }
        }.prefix(limit))
    }
    func setFactStatus(id: MemoryFact.ID, of user: User.ID, from: MemoryFact.Status, to: MemoryFact.Status) -> Bool {
        guard let index = stored.firstIndex(where: { $0.id == id && $0.userID == user && $0.status == from }) else {
            return false
        }
        stored[index].status = to
        return true
    }
    func factEmbeddings(of user: User.ID) -> [(id: MemoryFact.ID, vector: [Float])] { [] }
}

@Suite struct MemoryHandlerTests {
    static let alice = TwoMemberGroup.alice, bob = TwoMemberGroup.bob
    static let aliceDM = TwoMemberGroup.aliceDM, bobDM = TwoMemberGroup.bobDM, group = TwoMemberGroup.group

    struct World {
        let store = MemoryStore()
        let facts = FactBox()
        let orchestrator: Orchestrator

        init(memory: Bool = true) {
            orchestrator = Orchestrator(
                users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: []), status: nil,
                access: AccessPolicy(owners: [MemoryHandlerTests.alice], allowed: [MemoryHandlerTests.bob],
                                     defaultTimeZone: "Europe/Berlin"),
                digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) }, now: { CoreWorld.now },
                memory: memory ? facts : nil)
        }

        /// Every message sent anywhere, by chat.
        func send(_ text: String, from sender: ChatIdentity = MemoryHandlerTests.alice,
                  in chat: ChatRef = MemoryHandlerTests.aliceDM) async -> [KeyedDelivery] {
            let kind: InboundEvent.Kind
            if text.hasPrefix("/") {
                let body = text.dropFirst()
                let name = body.prefix { !$0.isWhitespace }
                kind = .command(name: String(name), arguments: body.dropFirst(name.count).trimmingCharacters(in: .whitespaces))
            } else {
                kind = .message(text)
            }
            return await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: sender, chat: chat, kind: kind,
                                                          receivedAt: CoreWorld.now))
        }
    }

    @Test func rememberThenListThenForgetThenItIsGone() async throws {
        let world = World()
        let saved = await world.send("/remember My dentist is Dr Brown").sent(to: Self.aliceDM)
        #expect(saved.first?.hasPrefix("Remembered (#1): My dentist is Dr Brown") == true, "\(saved)")
        _ = await world.send("remember that the gate code is 4411")

        let listed = await world.send("/memory").sent(to: Self.aliceDM).joined()
        #expect(listed.contains("#1 My dentist is Dr Brown — you said it, 21 Nov"), "\(listed)")
        #expect(listed.contains("#2 the gate code is 4411"))
        let found = await world.send("/memory dentist").sent(to: Self.aliceDM).joined()
        #expect(found.contains("#1 My dentist is Dr Brown") && !found.contains("gate"), "\(found)")

        let forgotten = await world.send("/forget 1").sent(to: Self.aliceDM).joined()
        #expect(forgotten.contains("Forgotten #1: My dentist is Dr Brown"))
        let after = await world.send("/memory").sent(to: Self.aliceDM).joined()
        #expect(!after.contains("dentist") && after.contains("gate code"))
        #expect(await world.send("/memory dentist").sent(to: Self.aliceDM) == ["Nothing I remember matches \"dentist\"."])
        #expect(await world.facts.stored.first?.status == .forgotten)  // kept, never used
    }

    @Test(arguments: ["/forget 99", "/forget abc", "/forget #0", "forget 12x"])
    func anUnknownIdGetsOneLineAndChangesNothing(command: String) async throws {
        let world = World()
        _ = await world.send("/remember I prefer tea")
        let answer = await world.send(command).sent(to: Self.aliceDM)
        #expect(answer.count == 1 && answer.first?.contains("nothing was changed") == true, "\(answer)")
        #expect(await world.facts.stored.map(\.status) == [.active])
    }

    @Test func someoneElsesFactCannotBeSeenOrForgotten() async throws {
        let world = World()
        _ = await world.send("/remember My salary is 100k")
        _ = await world.send("/start", from: Self.bob, in: Self.bobDM)
        let answer = await world.send("/forget 1", from: Self.bob, in: Self.bobDM).sent(to: Self.bobDM)
        #expect(answer == ["I have no fact #1 for you; nothing was changed. /memory lists your facts with their ids."])
        let bobs = await world.send("/memory salary", from: Self.bob, in: Self.bobDM).sent(to: Self.bobDM).joined()
        #expect(!bobs.contains("100k"))
        #expect(await world.facts.stored.map(\.status) == [.active])
    }

    @Test func aGroupAskGetsAPointerAndTheDetailsInTheDM() async throws {
        let world = World()
        _ = await world.send("/start")
        _ = await world.send("/remember My dentist is Dr Brown")
        for command in ["/memory", "/memory dentist", "/remember I prefer tea", "/forget 1"] {
            let replies = await world.send(command, in: Self.group)
            #expect(replies.sent(to: Self.group) == [GroupPrivacyTests.pointer], "\(command)")
            #expect(!replies.sent(to: Self.aliceDM).isEmpty, "\(command)")
        }
    }

    @Test func inAGroupBeforeAnyPrivateChatNothingIsStoredAndTheGroupHearsOnlyHowToStart() async throws {
        let world = World()
        let replies = await world.send("/remember My salary is 100k", from: Self.bob, in: Self.group)
        let inGroup = replies.sent(to: Self.group)
        #expect(inGroup.count == 1 && inGroup.first?.contains("send /start") == true, "\(inGroup)")
        #expect(!inGroup.joined().contains("100k"))
        #expect(await world.facts.stored.isEmpty)
    }

    @Test func aContradictingFactReplacesTheEarlierOneAndSaysSo() async throws {
        let world = World()
        _ = await world.send("/remember My office is room 12")
        let answer = await world.send("/remember My office is room 40").sent(to: Self.aliceDM).joined()
        #expect(answer.contains("Remembered (#2): My office is room 40"))
        #expect(answer.contains("It replaces #1: My office is room 12"))
        let listed = await world.send("/memory").sent(to: Self.aliceDM).joined()
        #expect(listed.contains("room 40") && !listed.contains("room 12"))
        #expect(await world.facts.stored.map(\.status) == [.superseded, .active])
        // The same words again store nothing new.
        let again = await world.send("/remember my office is room 40.").sent(to: Self.aliceDM).joined()
        #expect(again.contains("I already remember that (#2)"))
        #expect(await world.facts.stored.count == 2)
    }

    @Test func anOldFactIsStillFoundToContradictAfterHundredsOfNewerOnes() async throws {
        let world = World()
        let handler = try #require(world.orchestrator.memoryHandler)
        let office = try await handler.save("My office is room 12", source: .owner, status: .active, of: 1)
        for index in 0..<510 { _ = try await handler.save("Note \(index) for later", source: .owner, status: .active, of: 1) }
        let moved = try await handler.save("My office is room 40", source: .owner, status: .active, of: 1)
        #expect(moved.replaced?.id == office.fact.id)
        #expect(await world.facts.stored.first?.status == .superseded)
    }

    @Test func aPreferenceIsAFactAndOffersTheSettingAsACard() async throws {
        let world = World()
        let replies = await world.send("never book on Fridays")
        #expect(replies.sent(to: Self.aliceDM).first?.hasPrefix("Remembered (#1): never book on Fridays") == true)
        let pending = await world.store.pending(of: 1)
        #expect(pending.map(\.toolName) == ["settings_update"])
        let arguments = try JSONDecoder().decode(ChangeSettingArguments.self, from: try #require(pending.first).payload)
        #expect(arguments.key == "workdays" && arguments.value == "mon,tue,wed,thu")

        let hours = World()
        _ = await hours.send("I prefer meetings after 10")
        let card = try #require(await hours.store.pending(of: 1).first)
        #expect(try JSONDecoder().decode(ChangeSettingArguments.self, from: card.payload).value == "10:00-18:00")

        // A preference the settings already hold stores the fact and offers no card.
        let same = World()
        _ = await same.send("keep 15 minutes between meetings")
        #expect(await same.store.pending(of: 1).isEmpty)
        #expect(await same.facts.stored.count == 1)
    }

    @Test func mailCorrectionsShowAsRules() async throws {
        let world = World()
        _ = await world.send("/start")
        var settings = await world.store.settings(of: 1)
        settings.notUrgent = ["news@shop.example"]
        settings.muted = ["@spam.example"]
        await world.store.saveSettings(settings, of: 1)
        await world.facts.setTaps([MailRuleTap(sender: "News@shop.example", rule: .notUrgent,
                                               at: CoreWorld.at(2026, 11, 3, 0, 30))])
        let listed = await world.send("/memory").sent(to: Self.aliceDM).joined()
        // Tapped at 23:30 UTC on 2 Nov: 3 Nov in Berlin, where Ana is.
        #expect(listed.contains("Mail from news@shop.example is never alerted as urgent (you tapped Not urgent on 3 Nov)."),
                "\(listed)")
        #expect(listed.contains("Mail from @spam.example is muted: it waits for the digest (set with /settings mute)."))
        #expect(await world.facts.stored.isEmpty)  // read from the settings, not copied
    }

    @Test func withoutAStoreMemoryIsDeclinedInOneLine() async throws {
        let replies = await World(memory: false).send("/remember I prefer tea").sent(to: Self.aliceDM)
        #expect(replies == ["Memory isn't available in this version yet, so nothing was stored."])
    }

    @Test func memoryWordsAreParsed() {
        let parser = IntentParser()
        let context = ParseContext(now: CoreWorld.now, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        func parse(_ text: String) -> Intent { parser.parse(.message(text), context: context) }
        #expect(parser.parse(.command(name: "memory", arguments: "dentist"), context: context) == .memory("dentist"))
        #expect(parse("what do you remember") == .memory(nil))
        #expect(parse("what do you remember about my dentist") == .memory("my dentist"))
        #expect(parse("I prefer meetings after 10") == .remember("I prefer meetings after 10"))
        #expect(parse("please call me Ada") == .remember("call me Ada"))
        #expect(parse("my working hours are 9-17") == .remember("my working hours are 9-17"))
        #expect(parse("keep 15 minutes between meetings") == .remember("keep 15 minutes between meetings"))
        #expect(parse("no meetings before 10") == .remember("no meetings before 10"))
    }
}
