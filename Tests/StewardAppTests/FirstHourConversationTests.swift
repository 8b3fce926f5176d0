import Foundation
import StewardCore
import Testing

/// The first conversation, through the orchestrator and a real database: the answers a careful assistant
/// would give.
@Suite struct FirstHourConversationTests {
    func ask(_ world: World, _ kind: InboundEvent.Kind) async -> [String] {
        await world.orchestrator.handle(world.event(kind)).texts
    }

    @Test func freeHasOneHeader() async throws {
        let world = try await World()
        let texts = await ask(world, .command(name: "free", arguments: "90m tomorrow"))
        let text = try #require(texts.first)
        #expect(text.components(separatedBy: "Free for").count - 1 == 1, "\(text)")
        #expect(text.hasPrefix("Free for 1 h 30 min"))
    }

    @Test func theGreetingShowsTheTimeZoneAndHowToChangeIt() async throws {
        let world = try await World()
        let text = await ask(world, .command(name: "start", arguments: "")).joined()
        #expect(text.contains("Times are in Europe/Berlin"))
        #expect(text.contains("/settings timezone"))
        #expect(await ask(world, .message("hi")).joined().contains("Times are in Europe/Berlin"))
        #expect(await ask(world, .message("thanks")) == ["You're welcome."])
    }

    @Test func aSettingsKeyAloneShowsTheCurrentValueAndChangesNothing() async throws {
        let world = try await World()
        let text = await ask(world, .command(name: "settings", arguments: "timezone")).joined()
        #expect(text.hasPrefix("timezone Europe/Berlin"))
        #expect(!text.contains("expected an IANA zone name, e.g. timezone Europe/Berlin") || text.contains("To change it"))
        let hours = await ask(world, .command(name: "settings", arguments: "hours 9-5")).joined()
        #expect(hours.contains("hours 09:00-17:00"), "\(hours)")
    }

    @Test func settingsHintsNameTheUsersOwnAccounts() async throws {
        let world = try await World()
        let overview = await ask(world, .command(name: "settings", arguments: "")).joined()
        #expect(overview.contains("Your accounts for calendar: ics:1 (Home)"), "\(overview)")
        let calendar = await ask(world, .command(name: "settings", arguments: "calendar")).joined()
        #expect(calendar.contains("ics:1 (Home)"), "\(calendar)")
    }

    @Test func aBookingWithoutATimeAsksForIt() async throws {
        let world = try await World()
        let text = await ask(world, .message("book meeting monday")).joined()
        #expect(text.contains("What time on"))
        #expect(!text.contains("didn't catch"))
    }

    @Test func statusListsEveryAccountWithItsHealth() async throws {
        let world = try await World()
        let text = await ask(world, .command(name: "status", arguments: "")).joined()
        #expect(text.contains("Account ics:1 Home: ok"), "\(text)")
    }

    @Test func aMistypedCommandSuggestsTheRightOne() async throws {
        let world = try await World()
        #expect(await ask(world, .command(name: "tody", arguments: "")).joined().contains("Did you mean /today?"))
    }
}
