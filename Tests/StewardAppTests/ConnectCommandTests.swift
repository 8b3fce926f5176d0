import Foundation
import StewardCore
import StewardStorage
import Synchronization
import Testing

/// A connector that records who asked for which link.
final class RecordingConnector: AccountConnector {
    let requests = Mutex<[(kind: String, user: User.ID, chat: ChatRef)]>([])
    func canConnect(_ kind: String) -> Bool { kind == "google" }
    func authorizationLink(for kind: String, user: User.ID, chat: ChatRef) async throws -> URL {
        requests.withLock { $0.append((kind, user, chat)) }
        return URL(string: "https://accounts.example/auth?state=s\(user)")!
    }
}

@Suite struct ConnectCommandTests {
    @Test func connectGoogleSendsAOneUseLinkOnlyToTheAskersPrivateChat() async throws {
        var world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let connector = RecordingConnector()
        world.orchestrator = world.orchestrator(connector: connector)

        let inDM = await world.orchestrator.handle(world.event(.command(name: "connect", arguments: "google")))
        #expect(inDM.count == 1)
        #expect(inDM.texts[0].contains("https://accounts.example/auth?state=s1"))
        #expect(inDM.texts[0].contains("10 minutes"))

        // Asked in a group: the link goes to the DM; the group only hears where it went.
        let inGroup = await world.orchestrator.handle(world.event(.command(name: "connect", arguments: "google"),
                                                                  in: World.group))
        let toGroup = inGroup.filter { $0.delivery.chat == World.group }
        let toDM = inGroup.filter { $0.delivery.chat == World.ownerDM }
        #expect(toGroup.count == 1 && !toGroup.texts[0].contains("https://"))
        #expect(toDM.count == 1 && toDM.texts[0].contains("https://accounts.example/auth"))
        #expect(connector.requests.withLock { $0.map(\.chat) } == [World.ownerDM, World.ownerDM])
    }

    @Test func connectingWhatThisServerCannotSaysWhatToDo() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let google = await world.orchestrator.handle(world.event(.command(name: "connect", arguments: "google")))
        #expect(google.texts == ["Google isn't set up on this server: its owner needs to set GOOGLE_CLIENT_ID and "
            + "GOOGLE_CLIENT_SECRET (see bot.env.example) and restart Steward."])
        let imap = await world.orchestrator.handle(world.event(.command(name: "connect", arguments: "imap")))
        #expect(imap.texts[0].contains("steward accounts add ics"))
    }
}
