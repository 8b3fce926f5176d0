import Foundation
@testable import StewardApp
import StewardCore
import StewardTesting
import Testing

/// Memory you can see, the whole app in this process against the fake Bot API and a real SQLite file:
/// what Ana is told, what a restart keeps, what a group sees, and what the export prints.
@Suite struct MemoryAppTests {
    @Test func rememberListSearchForgetAndARestartKeepsIt() async throws {
        try await AppWorld.run { world in
            let first = try await world.boot()
            let saved = try await world.ask("/remember My dentist is Dr Brown", answerNumber: 1)
            #expect(saved.text.hasPrefix("Remembered (#1): My dentist is Dr Brown"), "\(saved.text)")
            _ = try await world.ask("remember that the gate code is 4411", answerNumber: 2)

            let listed = try await world.ask("/memory", answerNumber: 3).text
            #expect(listed.contains("#1 My dentist is Dr Brown — you said it"), "\(listed)")
            #expect(listed.contains("#2 the gate code is 4411 — you said it"))
            let found = try await world.ask("/memory dentists", answerNumber: 4).text
            #expect(found.contains("#1 My dentist is Dr Brown") && !found.contains("gate"), "\(found)")

            let forgotten = try await world.ask("/forget 1", answerNumber: 5).text
            #expect(forgotten.contains("Forgotten #1: My dentist is Dr Brown"), "\(forgotten)")
            let after = try await world.ask("/memory", answerNumber: 6).text
            #expect(!after.contains("dentist") && after.contains("gate code"), "\(after)")
            try await first.stop()

            let second = try await world.boot()
            #expect(try await world.ask("/memory gate", answerNumber: 7).text.contains("#2 the gate code is 4411"))
            #expect(try await world.ask("/memory dentist", answerNumber: 8).text
                    == "Nothing I remember matches \"dentist\".")
            let unknown = try await world.ask("/forget 99", answerNumber: 9).text
            #expect(unknown == "I have no fact #99 for you; nothing was changed. /memory lists your facts with their ids.")
            try await second.settle()  // one answer per ask, nothing more
            #expect(await world.messages().count == 9)
        }
    }

    @Test func aContradictionSupersedesAndTheExportKeepsTheHistory() async throws {
        try await AppWorld.run { world in
            _ = try await world.boot()
            _ = try await world.ask("/remember My office is room 12", answerNumber: 1)
            let replaced = try await world.ask("/remember My office is room 40", answerNumber: 2).text
            #expect(replaced.contains("Remembered (#2): My office is room 40"), "\(replaced)")
            #expect(replaced.contains("It replaces #1: My office is room 12"))
            let listed = try await world.ask("/memory", answerNumber: 3).text
            #expect(listed.contains("room 40") && !listed.contains("room 12"), "\(listed)")
            _ = try await world.ask("/forget 2", answerNumber: 4)

            let store = try Services.openStore(world.configuration)
            let json = try await MemoryCommand.export(ChatIdentity(platform: .telegram, userID: "100"), from: store)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let export = try decoder.decode(ExportedMemory.self, from: Data(json.utf8))
            #expect(export.user.identity == "telegram:100")
            #expect(export.facts.map(\.text) == ["My office is room 12", "My office is room 40"])
            #expect(export.facts.map(\.status) == ["superseded", "forgotten"])
            #expect(export.facts.map(\.supersedes) == [nil, 1])
            #expect(export.facts.allSatisfy { $0.source == "owner" })
        }
    }

    @Test func aGroupAskGetsAPointerAndTheFactsGoToTheDM() async throws {
        try await AppWorld.run { world in
            _ = try await world.boot()
            _ = try await world.ask("/start", answerNumber: 1)
            _ = try await world.ask("/remember My salary is 100k", answerNumber: 2)
            let group = FakeTelegramChat(id: -1001, type: "group", title: "Team")
            await world.telegram.sendText("/memory", from: AppWorld.owner, in: group)
            let details = try await world.waitForMessages(3)[2].text
            #expect(details.contains("My salary is 100k"), "\(details)")
            let inGroup = try await world.waitForMessages(1, to: -1001)
            #expect(inGroup.map(\.text) == ["I've sent you the details in a private message."])
            await world.telegram.sendText("/remember My bonus is 5k", from: AppWorld.owner, in: group)
            #expect(try await world.waitForMessages(4)[3].text.hasPrefix("Remembered (#2): My bonus is 5k"))
            let pointers = try await world.waitForMessages(2, to: -1001)
            #expect(pointers.allSatisfy { !$0.text.contains("salary") && !$0.text.contains("bonus") })
        }
    }
}
