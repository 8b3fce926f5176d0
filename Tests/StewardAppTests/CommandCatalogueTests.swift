import Foundation
import SlackAdapter
import StewardCore
import TelegramAdapter
import Testing

/// One catalogue says what this build does: `/help`, Telegram's `setMyCommands`, the Slack manifest and
/// the README's command table list the same commands, and none of them is one the build refuses.
@Suite struct CommandCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Command names in the first column of the README's "What you can say" table.
    static func readmeTableCommands() throws -> Set<String> {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## What you can say").dropFirst().first)
        var names: Set<String> = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `/") {
            let firstColumn = line.split(separator: "|")[0]
            for piece in firstColumn.split(separator: "`") where piece.hasPrefix("/") {
                names.insert(String(piece.dropFirst().prefix { $0.isLetter }))
            }
        }
        return names
    }

    @Test func helpTelegramAndTheReadmeTableListTheSameCommands() async throws {
        let catalogue = Set(ChatCommand.all.map(\.name))
        let world = try await World()
        let help = await world.orchestrator.handle(world.event(.command(name: "help", arguments: ""))).texts.joined()
        let inHelp = Set(help.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("/") else { return nil }
            return String(line.dropFirst().prefix { $0.isLetter })
        })
        let telegram = Set(TelegramBootstrap.botCommands(from: ChatCommand.all).map(\.command))
        #expect(inHelp == catalogue)
        #expect(telegram == catalogue)
        #expect(try Self.readmeTableCommands() == catalogue)
    }

    @Test func nothingListedIsACommandThisBuildRefuses() async throws {
        let world = try await World()
        for command in ChatCommand.all {
            let texts = await world.orchestrator.handle(world.event(.command(name: command.name, arguments: ""))).texts
            for text in texts {
                #expect(!text.contains("isn't available in this version"), "/\(command.name): \(text)")
                #expect(!text.hasPrefix("Unknown command"), "/\(command.name): \(text)")
            }
        }
        let usage = ChatCommand.named("connect")?.usage ?? ""
        #expect(!usage.contains("caldav") && !usage.contains("imap"))
    }

    @Test func theSlackManifestIsTheCataloguesAndAsksForWhatSlackCallsNeed() throws {
        let file = Self.root.appendingPathComponent("deploy/slack-app-manifest.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == SlackAppManifest.yaml())
        for needed in ["app_mentions:read", "chat:write", "commands", "im:history", "im:write", "message.im",
                       "app_mention", "/slack/events", "/slack/interactive", "/slack/commands", "is_enabled: true"] {
            #expect(text.contains(needed), "\(needed)")
        }
    }

    @Test func theReadmeKeepsUnbuiltFeaturesInItsRoadmapAndDeploysAStaticBinary() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let parts = readme.components(separatedBy: "## Roadmap")
        #expect(parts.count == 2)
        let beforeRoadmap = parts[0]
        // (Matrix's wording belongs to the Matrix work, which is landing now.)
        for promise in ["Google (planned)", "PostgreSQL: planned",
                        "Gmail (early)"] {
            #expect(!beforeRoadmap.contains(promise), "\(promise)")
        }
        #expect(!beforeRoadmap.contains("Google Calendar, Gmail triage, Matrix and\nan optional LLM planner are on the way"))
        #expect(readme.contains("--static-swift-stdlib"))
        #expect(readme.contains("ProtectHome=yes"))
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("deploy/Dockerfile"), encoding: .utf8)
        #expect(!dockerfile.contains("COPY Package.swift Package.resolved"))
    }
}
