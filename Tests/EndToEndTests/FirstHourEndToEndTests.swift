import Foundation
import StewardTesting
import Testing

/// A newcomer's first hour with the real binary: `steward setup` at a terminal and in a script, a headless
/// start that says what is missing, and command-line mistakes that get one clear line.
@Suite(.serialized) struct FirstHourEndToEndTests {
    @Test func setupAtATerminalChecksTheTokenHidesItWritesBotEnvAndRunsDoctor() async throws {
        let fake = FakeTelegramServer()
        try await fake.start()
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let session = try TerminalSession(
            ["setup"], environment: ["TELEGRAM_API_URL": try await fake.baseURL.absoluteString,
                                     "STEWARD_DATA_DIR": workspace.appendingPathComponent("data").path,
                                     "STEWARD_HTTP_PORT": "\(try freeLoopbackPort())"],
            directory: workspace)
        var offset = 0
        try await session.answer("Chat platforms", with: "telegram", after: &offset)
        try await session.answer("Bot token", with: "123:not-the-token", after: &offset)
        try await session.waitFor("✗ telegram: Telegram refused the token", after: offset)
        try await session.answer("Bot token", with: fake.token, after: &offset)
        try await session.waitFor("✓ Telegram: the token belongs to @StewardTestBot", after: offset)
        try await session.answer("Your own identity", with: "telegram:100", after: &offset)
        try await session.answer("Time zone", with: "Mars/Olympus", after: &offset)
        try await session.waitFor("time zone: expected an IANA name", after: offset)
        try await session.answer("Time zone", with: "America/New_York", after: &offset)
        try await session.answer("OAuth client id", with: "", after: &offset)
        try await session.answer("OpenAI-compatible base URL", with: "", after: &offset)
        try await session.waitFor("Running steward doctor", after: offset)
        #expect(try await session.exitStatus() == 0)
        // The screen's reader may still be draining the terminal after the exit: wait for doctor's last line.
        try await session.waitFor("ok   telegram: @StewardTestBot", after: offset)
        let screen = session.screen
        // The terminal never showed a token: neither the wrong one nor the right one, typed or echoed.
        #expect(!screen.contains(fake.token))
        #expect(!screen.contains("not-the-token"))
        let written = try String(contentsOf: workspace.appendingPathComponent("bot.env"), encoding: .utf8)
        #expect(written.contains("TELEGRAM_BOT_TOKEN=\(fake.token)") || written.contains("TELEGRAM_BOT_TOKEN=\"\(fake.token)\""))
        #expect(written.contains("STEWARD_OWNERS=telegram:100"))
        #expect(written.contains("STEWARD_TIMEZONE=America/New_York"))
        let key = written.split(separator: "\n").first { $0.hasPrefix("STEWARD_SECRET_KEY=") }
        #expect(key.flatMap { Data(base64Encoded: String($0.dropFirst("STEWARD_SECRET_KEY=".count))) }?.count == 32)
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.appendingPathComponent("bot.env").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        await fake.stop()
    }

    @Test func setupInAScriptTakesTokensFromTheEnvironmentAndRefusesABadOneWritingNothing() async throws {
        let fake = FakeTelegramServer()
        try await fake.start()
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let api = try await fake.baseURL.absoluteString
        let botEnv = workspace.appendingPathComponent("bot.env")

        let refused = try await runSteward(
            ["setup", "--non-interactive", "--platforms", "telegram", "--timezone", "Europe/Paris", "--skip-doctor"],
            environment: ["TELEGRAM_BOT_TOKEN": "123:wrong-token-value", "TELEGRAM_API_URL": api], directory: workspace)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("telegram: Telegram refused the token"))
        #expect(!(refused.stdout + refused.stderr).contains("wrong-token-value"))
        #expect(!FileManager.default.fileExists(atPath: botEnv.path))

        let done = try await runSteward(
            ["setup", "--non-interactive", "--platforms", "telegram", "--timezone", "Europe/Paris",
             "--owners", "telegram:100", "--skip-doctor"],
            environment: ["TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": api], directory: workspace)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(!(done.stdout + done.stderr).contains(fake.token))
        let written = try String(contentsOf: botEnv, encoding: .utf8)
        #expect(written.contains(fake.token))
        #expect(written.contains("STEWARD_TIMEZONE=Europe/Paris"))
        #expect(written.contains("TELEGRAM_API_URL=\(api)"))
        let firstKey = written.split(separator: "\n").first { $0.hasPrefix("STEWARD_SECRET_KEY=") }

        // Run again: the secret key stays (a new one would make stored secrets unreadable).
        let again = try await runSteward(
            ["setup", "--non-interactive", "--platforms", "telegram", "--skip-doctor"],
            environment: ["TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": api], directory: workspace)
        #expect(again.status == 0)
        let rewritten = try String(contentsOf: botEnv, encoding: .utf8)
        #expect(rewritten.split(separator: "\n").first { $0.hasPrefix("STEWARD_SECRET_KEY=") } == firstKey)
        #expect(rewritten.contains("STEWARD_OWNERS=telegram:100"))
        await fake.stop()
    }

    @Test func setupInAScriptChecksASlackTokenWithAuthTest() async throws {
        let fake = FakeSlackServer()
        try await fake.start()
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let api = try await fake.apiURL.absoluteString
        let done = try await runSteward(
            ["setup", "--non-interactive", "--platforms", "slack", "--owners", "slack:U0OWNER", "--skip-doctor"],
            environment: ["SLACK_BOT_TOKEN": fake.botToken, "SLACK_SIGNING_SECRET": "signing-secret-for-tests",
                          "SLACK_API_URL": api], directory: workspace)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("✓ Slack: the token belongs to"))
        #expect(!(done.stdout + done.stderr).contains(fake.botToken))
        let written = try String(contentsOf: workspace.appendingPathComponent("bot.env"), encoding: .utf8)
        #expect(written.contains("SLACK_BOT_TOKEN=\(fake.botToken)"))
        #expect(written.contains("SLACK_SIGNING_SECRET=signing-secret-for-tests"))

        let refused = try await runSteward(
            ["setup", "--non-interactive", "--platforms", "slack", "--skip-doctor", "--env-file", "other.env"],
            environment: ["SLACK_BOT_TOKEN": "xoxb-not-the-token", "SLACK_SIGNING_SECRET": "signing-secret-for-tests",
                          "SLACK_API_URL": api], directory: workspace)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("slack: Slack refused the token"))
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("other.env").path))
        await fake.stop()
    }

    @Test func aHeadlessStartWithNoPlatformSaysWhatToSetAndExits2() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = try await runSteward([], directory: workspace)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("TELEGRAM_BOT_TOKEN"))
        #expect(result.stderr.contains("steward setup"))
    }

    @Test func aScriptedConsoleSessionStillAnswers() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let script = workspace.appendingPathComponent("script.txt")
        try "/help\n".write(to: script, atomically: true, encoding: .utf8)
        let result = try await runSteward([], directory: workspace, input: try FileHandle(forReadingFrom: script))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Here's what I can do"))
    }

    @Test func commandLineMistakesGetOneLineAndExit2() async throws {
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let unknown = try await runSteward(["frobnicate"], directory: workspace)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown command 'frobnicate'"))
        #expect(unknown.stderr.contains("setup") && unknown.stderr.contains("doctor") && unknown.stderr.contains("accounts"))

        let missing = try await runSteward(["doctor", "--env-file", "prod.env"], directory: workspace)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--env-file: prod.env does not exist"))

        // The default bot.env may be missing.
        let plain = try await runSteward(["migrate"], directory: workspace)
        #expect(plain.status == 0, "\(plain.stderr)")
    }

    @Test func doctorWarnsAboutAPlatformWithoutOwnerAndAnUnreachableCalendarURL() async throws {
        let fake = FakeTelegramServer()
        try await fake.start()
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let environment = ["TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": try await fake.baseURL.absoluteString,
                           "STEWARD_SECRET_KEY": "5AL7w5Hz8nSFETPqI2Ibi5CAHK4o6X7gFusDcnrWlUs=",
                           "STEWARD_ALLOWED_USERS": "telegram:100"]  // allowed, but nobody owns Telegram
        let port = try freeLoopbackPort()  // nothing listens there
        let add = try await runSteward(["accounts", "add", "ics", "--user", "telegram:100", "--url",
                                        "http://127.0.0.1:\(port)/team.ics"], environment: environment, directory: workspace)
        #expect(add.status == 0, "\(add.stderr)")
        let doctor = try await runSteward(["doctor"], environment: environment, directory: workspace)
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("warn telegram is on but has no owner"))
        #expect(doctor.stdout.contains("STEWARD_OWNERS=telegram:"))
        let line = doctor.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL account ics:") } ?? ""
        #expect(line.contains("127.0.0.1"))
        #expect(line.contains("steward accounts remove"))
        // In words, never as a Swift type.
        #expect(!line.contains("Error."))
        #expect(!line.contains("HTTPClientError"))
        await fake.stop()
    }
}
