import Foundation
import Testing
@testable import StewardCore

/// A platform Core has never heard of, declared outside Core the way an adapter would, is served from the
/// capabilities it registers: Core needs no change for it.
extension Platform {
    static let irc = Platform("irc")
}

@Suite struct NewPlatformTests {
    static let owner = ChatIdentity(platform: .irc, userID: "ana")
    static let dm = ChatRef(platform: .irc, chatID: "ana", isPrivate: true)

    @Test func aPlatformDeclaredOutsideCoreIsParsedAndAnswered() async throws {
        #expect(ChatIdentity(parsing: "irc:ana") == Self.owner)
        let orchestrator = Orchestrator(
            users: MemoryStore(), approvals: MemoryStore(), audit: MemoryStore(), calendars: FakeDirectory(entries: []),
            status: nil, access: AccessPolicy(owners: [Self.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
            digest: { data in "\(data.hashValue)" }, now: { CoreWorld.now },
            channels: PlatformKinds([.irc: ChannelCapabilities(editsMessages: false, choices: .numbered)]))
        let answer = await orchestrator.handle(InboundEvent(id: "irc:1", sender: Self.owner, chat: Self.dm,
                                                            kind: .command(name: "help", arguments: ""),
                                                            receivedAt: CoreWorld.now))
        #expect(answer.map(\.delivery.chat) == [Self.dm])
        guard case .send(_, let message)? = answer.first?.delivery else {
            Issue.record("expected an answer, got \(answer)")
            return
        }
        #expect(message.plainText.contains("/today"))
    }

    /// Names from outside (configuration, stored rows) are checked for shape; whether a platform runs is the
    /// composition root's question.
    @Test func onlyWellFormedPlatformNamesParse() {
        for bad in ["", "Telegram", "tele gram", "1rc", "irc!", String(repeating: "a", count: 33)] {
            #expect(Platform(rawValue: bad) == nil, "\(bad)")
            // `platform:id` is read case-insensitively, so only the shape matters there.
            if bad.lowercased() != bad || bad.isEmpty { continue }
            #expect(ChatIdentity(parsing: "\(bad):1") == nil, "\(bad)")
        }
        #expect(Platform(rawValue: "telegram") == .telegram)
        #expect(ChatIdentity(parsing: " TELEGRAM:42 ") == ChatIdentity(platform: .telegram, userID: "42"))
    }

    @Test func aPlatformIsStoredAndReadBackByItsName() throws {
        let data = try JSONEncoder().encode(ChatRef(platform: .irc, chatID: "x", isPrivate: true))
        #expect(String(decoding: data, as: UTF8.self).contains("\"irc\""))
        #expect(try JSONDecoder().decode(ChatRef.self, from: data).platform == .irc)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Platform.self, from: Data("\"Not A Platform\"".utf8))
        }
    }
}
