import Foundation
import LoadSupport
import StewardTesting

struct Options: Sendable {
    var users = 10_000
    var updates = 5_000
    var rate = 200.0
    var seconds = 10.0
    var rssUpdates = 100_000
    var text = "/help"
    /// A phase fails when no reply arrives for this long.
    var stallSeconds = 60.0
    var keep = false
    /// When set, each phase's per-update times go to `<csv>/<bot>-<phase>.csv`.
    var csvDirectory: String?
    /// Extra environment for Steward (`--steward-env KEY=VALUE`), e.g. to try a setting.
    var stewardEnvironment: [String: String] = [:]
    /// `--slow-neighbour S`: Steward only, one more latency phase while another user's model run takes S s.
    var slowModelSeconds: Double?
    /// How long the bot is watched doing nothing after it started polling (CPU and RSS at rest).
    var idleSeconds = 5.0
}

/// What a phase cost the bot: its CPU time and its threads' context switches over the updates it handled.
struct Cost: Sendable {
    var updates: Int
    var cpuSeconds: Double
    var switches: Int

    init?(updates: Int, before: ProcessSample?, after: ProcessSample?) {
        guard let before, let after, updates > 0 else { return nil }
        self.updates = updates
        cpuSeconds = after.cpuSeconds - before.cpuSeconds
        switches = max(0, after.contextSwitches - before.contextSwitches)
    }

    var microsecondsPerUpdate: Double { cpuSeconds / Double(updates) * 1e6 }
    var switchesPerUpdate: Double { Double(switches) / Double(updates) }
    var summary: String {
        String(format: "bot CPU %.2f s = %.0f µs/update, %.1f context switches/update", cpuSeconds,
               microsecondsPerUpdate, switchesPerUpdate)
    }
}

/// The bot at rest after start: share of one core, resident memory, threads.
struct Idle: Sendable {
    var seconds: Double
    var cpuPercent: Double
    var residentMB: Double
    var threads: Int
}

/// What one bot achieved.
struct BotResult: Sendable {
    var name: String
    var throughput: Double?
    var latency: Distribution?
    var offeredRate: Double?
    var residentMB: Double?
    /// Replies the bot sent more than once (the same update answered twice).
    var duplicates = 0
    var rss: (updates: Int, residentMB: Double, peakMB: Double, seconds: Double)?
    /// The latency phase again, while one other user's model run is slow (`--slow-neighbour`).
    var latencyBesideSlowModel: Distribution?
    /// The throughput phase (all updates at once) and the latency phase (paced), per update.
    var burst: Cost?
    var paced: Cost?
    var idle: Idle?
    var failure: String?
}

/// One update the load tool enqueued.
struct Fed {
    let updateID: Int64
    let chatID: Int64
    let queuedAt: Date
}

/// One update and what became of it.
struct Outcome {
    let chatID: Int64
    let queuedAt: Date
    let servedAt: Date?
    /// The first reply's arrival at the fake (what the user sees first) and the last one's (the whole answer).
    let firstReply: Date?
    let lastReply: Date?
}

/// Runs one bot through the phases against a fresh fake Telegram server:
/// start → polling → warm-up (every user writes once, so users and chats exist) → throughput (N updates
/// enqueued at once) → latency at a fixed offered rate → for Steward, RSS after `rssUpdates` updates.
@MainActor
final class BotRun {
    let name: String
    let isSteward: Bool
    let command: [String]
    let options: Options
    let server = FakeTelegramServer()
    let users: [FakeTelegramUser]
    var bot: BotProcess?
    var nextUser = 0
    var fedTotal = 0
    private var repliesPerUpdate = 1
    /// Per chat, when the bot's messages arrived (the last `collect`).
    private var lastCollectedReplies: [Int64: [Date]] = [:]
    let clock = ContinuousClock()
    /// The fake model, for `--slow-neighbour`.
    var model: FakeLLMServer?

    init(name: String, isSteward: Bool, command: [String], options: Options) {
        self.name = name
        self.isSteward = isSteward
        self.command = command
        self.options = options
        // Private chats with users 1…N: the chat id is the user id.
        users = (1...max(1, options.users)).map { FakeTelegramUser(id: Int64($0), firstName: "Load\($0)") }
    }

    func log(_ line: String) {
        print("[\(name)] \(line)")
        fflush(nil)
    }

    func run() async -> BotResult {
        var result = BotResult(name: name)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("telegram-load-\(name)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try await server.start()
            if isSteward, options.slowModelSeconds != nil {
                let model = FakeLLMServer()
                try await model.start()
                self.model = model
            }
            let bot = try await launch(in: directory)
            self.bot = bot
            try await waitUntilPolling(bot)
            result.idle = try await watchIdle(bot)
            try await phases(bot, into: &result)
        } catch {
            result.failure = "\(error)"
            log("FAILED: \(error)")
            if let bot { log("last lines of its output (\(bot.logURL.path)):\n" + bot.logTail()) }
        }
        // A bot that finishes its current long poll before exiting (python-telegram-bot does) is let go by
        // one more message, which ends the poll.
        let server = server
        let anyone = users[0]
        if let bot { await bot.stop(release: { await server.sendText("bye", from: anyone) }) }
        await server.stop()
        await model?.stop()
        if options.keep || result.failure != nil {
            log("kept \(directory.path)")
        } else {
            try? FileManager.default.removeItem(at: directory)
        }
        return result
    }

    func launch(in directory: URL) async throws -> BotProcess {
        let base = try await server.baseURL
        let inherited = ProcessInfo.processInfo.environment
        var environment: [String: String] = [:]
        for key in ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME"] { environment[key] = inherited[key] }
        environment["TELEGRAM_API_URL"] = base.absoluteString
        environment["TELEGRAM_BOT_TOKEN"] = server.token
        if isSteward {
            environment["STEWARD_DATA_DIR"] = directory.appendingPathComponent("data").path
            environment["STEWARD_HTTP_HOST"] = "127.0.0.1"
            environment["STEWARD_HTTP_PORT"] = String(try freeLoopbackPort())
            environment["STEWARD_LOG_LEVEL"] = "warning"
            environment["STEWARD_TIMEZONE"] = "UTC"
            environment["TELEGRAM_RATE_LIMIT"] = "0"
            environment.merge(options.stewardEnvironment, uniquingKeysWith: { $1 })
            // Every sender must be allowed. The list is too long for one environment variable (Linux caps a
            // single one at 128 KiB), so it goes into the bot.env Steward reads from its working directory.
            let allowed = (users + [slowNeighbour]).map { "telegram:\($0.id)" }.joined(separator: ",")
            if let model {
                environment["LLM_BASE_URL"] = try await model.baseURL.absoluteString
                environment["LLM_MODEL"] = "fake-model"
            }
            try "STEWARD_ALLOWED_USERS=\(allowed)\n".write(
                to: directory.appendingPathComponent("bot.env"), atomically: true, encoding: .utf8)
        }
        // The bot runs in its own directory: arguments naming files here become absolute paths.
        let arguments = command.enumerated().map { index, argument in
            index > 0 && !argument.hasPrefix("/") && FileManager.default.fileExists(atPath: argument)
                ? URL(fileURLWithPath: argument).standardizedFileURL.path : argument
        }
        let bot = try BotProcess(name: name, command: arguments, environment: environment, directory: directory)
        try bot.start()
        log("started pid \(bot.pid): \(arguments.joined(separator: " "))")
        return bot
    }

    func waitUntilPolling(_ bot: BotProcess) async throws {
        let started = clock.now
        while await server.requests(method: "getUpdates").isEmpty {
            guard bot.isRunning else { throw LoadError("the bot exited before it polled") }
            guard clock.now - started < .seconds(120) else { throw LoadError("no getUpdates within 120 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let memory = ProcessSample.read(pid: bot.pid).map { "; RSS \($0.memoryDescription)" } ?? ""
        log("polling after \(format(duration: seconds(clock.now - started)))\(memory)")
    }

    /// After start, with nothing arriving: a second to finish starting, then `idleSeconds` watched.
    func watchIdle(_ bot: BotProcess) async throws -> Idle? {
        guard options.idleSeconds > 0 else { return nil }
        try await Task.sleep(for: .seconds(1))
        let start = clock.now
        guard let before = ProcessSample.preciseCPUSeconds(pid: bot.pid) else { return nil }
        try await Task.sleep(for: .seconds(options.idleSeconds))
        guard let after = ProcessSample.preciseCPUSeconds(pid: bot.pid), let sample = ProcessSample.read(pid: bot.pid) else { return nil }
        let elapsed = seconds(clock.now - start)
        let idle = Idle(seconds: elapsed, cpuPercent: (after - before) / elapsed * 100, residentMB: sample.residentMB,
                        threads: sample.threads)
        log(String(format: "idle for %.1f s after start: CPU %.3f%% of one core; %d threads; RSS ", elapsed, idle.cpuPercent,
                   sample.threads) + sample.memoryDescription)
        return idle
    }

    func phases(_ bot: BotProcess, into result: inout BotResult) async throws {
        let userCount = users.count

        // Probe: one update alone says how many messages answer one (a long reply comes in chunks).
        _ = await feed(1)
        try await waitForReplies(1, phase: "probe")
        try await waitForQuiet()
        repliesPerUpdate = max(1, await server.state.botMessageTally().messages)
        await server.state.forgetHistory()

        // Warm-up: every user writes once (Steward creates the user and records the home chat).
        // Every phase gives each chat at most one update, so a chat's messages are that update's answer.
        var started = clock.now
        nextUser = 0
        let warmup = await feed(userCount)
        try await waitForReplies(userCount, phase: "warm-up")
        let warmupOutcomes = await collect(warmup)
        result.duplicates += report(duplicatesIn: warmupOutcomes, phase: "warm-up")
        log("warm-up: \(userCount) updates from \(userCount) users answered in "
            + "\(format(duration: seconds(clock.now - started))) (\(repliesPerUpdate) message(s) per answer)")
        if let line = try await bot.settle(after: "warm-up") { log(line) }

        // Throughput: N updates enqueued at once; first update served → last reply received.
        await server.state.forgetHistory()
        var before = ProcessSample.read(pid: bot.pid)
        let toolBefore = ProcessSample.current()
        let fed = await feed(options.updates)
        try await waitForReplies(options.updates, phase: "throughput")
        let outcomes = await collect(fed)
        writeCSV(outcomes, phase: "throughput")
        result.duplicates += report(duplicatesIn: outcomes, phase: "throughput")
        let firstServed = outcomes.compactMap(\.servedAt).min()
        let lastReply = outcomes.compactMap(\.lastReply).max()
        if let firstServed, let lastReply, lastReply > firstServed {
            let elapsed = lastReply.timeIntervalSince(firstServed)
            let rate = Double(options.updates) / elapsed
            result.throughput = rate
            var line = "throughput: \(options.updates) updates in \(format(duration: elapsed)) = \(format(rate: rate)) updates/s"
                + " (first update served → last reply received)"
            if let cost = Cost(updates: options.updates, before: before, after: ProcessSample.read(pid: bot.pid)) {
                result.burst = cost
                line += "; " + cost.summary
            }
            if let toolBefore, let toolAfter = ProcessSample.current() {
                line += String(format: "; fake+load tool CPU %.2f s", toolAfter.cpuSeconds - toolBefore.cpuSeconds)
            }
            log(line)
            let waits = Distribution(outcomes.compactMap { outcome in
                outcome.servedAt.flatMap { served in outcome.firstReply.map { $0.timeIntervalSince(served) } }
            })
            log("throughput: served → reply under backlog: \(waits.summary)")
            if let lastServed = outcomes.compactMap(\.servedAt).max() {
                let polls = await server.requests(method: "getUpdates").filter { $0.at >= firstServed.addingTimeInterval(-0.001) }.count
                log("throughput: the bot had fetched every update \(format(duration: lastServed.timeIntervalSince(firstServed))) "
                    + "after the first, in \(polls) getUpdates calls")
            }
        }
        if let line = try await bot.settle(after: "throughput") { log(line) }

        // Latency at a fixed offered rate.
        await server.state.forgetHistory()
        let count = max(1, Int(options.rate * options.seconds))
        before = ProcessSample.read(pid: bot.pid)
        started = clock.now
        let paced = try await feed(count, rate: options.rate)
        let offered = Double(count) / max(seconds(clock.now - started), 1e-9)
        try await waitForReplies(count, phase: "latency")
        let latencyOutcomes = await collect(paced)
        writeCSV(latencyOutcomes, phase: "latency")
        result.duplicates += report(duplicatesIn: latencyOutcomes, phase: "latency")
        let latency = Distribution(latencyOutcomes.compactMap { outcome in
            outcome.servedAt.flatMap { served in outcome.firstReply.map { $0.timeIntervalSince(served) } }
        })
        let queued = Distribution(latencyOutcomes.compactMap { outcome in
            outcome.firstReply.map { $0.timeIntervalSince(outcome.queuedAt) }
        })
        result.latency = latency
        result.offeredRate = offered
        log("latency at \(format(rate: options.rate)) updates/s for \(format(duration: options.seconds)) "
            + "(\(count) updates, offered \(String(format: "%.1f", offered))/s): served → reply \(latency.summary)")
        var cpuNote = ""
        if let cost = Cost(updates: count, before: before, after: ProcessSample.read(pid: bot.pid)) {
            result.paced = cost
            cpuNote = String(format: "; %.0f%% of one core; ", cost.cpuSeconds / options.seconds * 100) + cost.summary
        }
        log("latency: enqueued → reply (includes the long poll's pick-up) \(queued.summary)\(cpuNote)")

        if let sample = ProcessSample.read(pid: bot.pid) {
            result.residentMB = sample.residentMB
            log("RSS after \(fedTotal) updates: \(sample.memoryDescription)")
        }

        if let slowSeconds = options.slowModelSeconds, let model {
            if let line = try await bot.settle(after: "latency") { log(line) }
            result.latencyBesideSlowModel = try await latencyBesideSlowModel(slowSeconds, model: model)
        }

        if isSteward, options.rssUpdates > fedTotal {
            try await memoryRun(bot, into: &result)
        }
    }

    /// Feeds updates in batches of one per user until `rssUpdates` in total, then reads VmRSS.
    func memoryRun(_ bot: BotProcess, into result: inout BotResult) async throws {
        let start = clock.now
        let firstUpdate = fedTotal
        var nextReport = (fedTotal / 20_000 + 1) * 20_000
        log("memory run: feeding \(options.rssUpdates - fedTotal) more updates in batches of \(users.count)")
        while fedTotal < options.rssUpdates {
            await server.state.forgetHistory()
            let batch = min(users.count, options.rssUpdates - fedTotal)
            nextUser = 0
            _ = await feed(batch)
            try await waitForReplies(batch, phase: "memory run")
            // Counted when the last answer arrives: a duplicate still on its way is missed.
            result.duplicates += max(0, await server.state.botMessageTally().messages - batch * repliesPerUpdate)
            if fedTotal >= nextReport, fedTotal < options.rssUpdates, let sample = ProcessSample.read(pid: bot.pid) {
                log("  \(fedTotal) updates: RSS \(sample.memoryDescription)")
                nextReport += 20_000
            }
        }
        let elapsed = seconds(clock.now - start)
        try await Task.sleep(for: .seconds(1))
        guard let sample = ProcessSample.read(pid: bot.pid) else { throw LoadError("could not read /proc/\(bot.pid)") }
        result.rss = (fedTotal, sample.residentMB, sample.peakResidentMB, elapsed)
        log("RSS after \(fedTotal) updates: \(sample.memoryDescription); the last \(fedTotal - firstUpdate) took \(format(duration: elapsed)) = "
            + "\(format(rate: Double(fedTotal - firstUpdate) / elapsed)) updates/s")
    }

    // MARK: - Feeding and collecting

    /// Enqueues `count` updates at once, users taking turns.
    func feed(_ count: Int) async -> [Fed] {
        var fed: [Fed] = []
        fed.reserveCapacity(count)
        for _ in 0..<count { fed.append(await sendOne()) }
        return fed
    }

    /// Enqueues `count` updates at `rate` per second (catching up at once if the tool falls behind).
    func feed(_ count: Int, rate: Double) async throws -> [Fed] {
        var fed: [Fed] = []
        fed.reserveCapacity(count)
        let start = clock.now
        for index in 0..<count {
            let due = start + .seconds(Double(index) / rate)
            if due > clock.now { try await clock.sleep(until: due, tolerance: .microseconds(100)) }
            fed.append(await sendOne())
        }
        return fed
    }

    func sendOne() async -> Fed {
        let user = users[nextUser]
        nextUser = (nextUser + 1) % users.count
        fedTotal += 1
        let queuedAt = Date()
        let updateID = await server.sendText(options.text, from: user)
        return Fed(updateID: updateID, chatID: user.id, queuedAt: queuedAt)
    }

    /// Waits until `expected` chats (one update each) have their whole answer since the last
    /// `forgetHistory()`; fails when the bot dies or nothing arrives for `stallSeconds`.
    func waitForReplies(_ expected: Int, phase: String) async throws {
        var last = -1
        var lastChange = clock.now
        while true {
            let tally = await server.state.botMessageTally(atLeast: repliesPerUpdate)
            if tally.chats >= expected { return }
            let count = tally.messages
            if count != last {
                last = count
                lastChange = clock.now
            }
            guard bot?.isRunning ?? false else { throw LoadError("\(phase): the bot exited; \(count) of \(expected) replies") }
            guard clock.now - lastChange < .seconds(options.stallSeconds) else {
                throw LoadError("\(phase): no reply for \(Int(options.stallSeconds)) s; \(tally.chats) of \(expected) updates answered "
                                + "(\(await server.state.pendingUpdateCount()) updates not yet fetched)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until no message has arrived for half a second (a reply in several messages is complete).
    func waitForQuiet() async throws {
        var last = await server.state.botMessageTally().messages
        while true {
            try await Task.sleep(for: .milliseconds(500))
            let count = await server.state.botMessageTally().messages
            if count == last { return }
            last = count
        }
    }

    /// Matches replies to updates by chat and order: the k-th update in a chat is answered by that chat's
    /// k-th group of `repliesPerUpdate` bot messages (counted since the last `forgetHistory()`).
    func collect(_ fed: [Fed]) async -> [Outcome] {
        var replies: [Int64: [Date]] = [:]
        for message in await server.state.allSentMessages() { replies[message.chatID, default: []].append(message.date) }
        for chat in replies.keys { replies[chat]!.sort() }
        lastCollectedReplies = replies
        var position: [Int64: Int] = [:]
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(fed.count)
        for update in fed {
            let index = position[update.chatID, default: 0]
            position[update.chatID] = index + 1
            let chatReplies = replies[update.chatID] ?? []
            let first = index * repliesPerUpdate
            let last = first + repliesPerUpdate - 1
            outcomes.append(Outcome(
                chatID: update.chatID, queuedAt: update.queuedAt, servedAt: await server.state.servedAt(update: update.updateID),
                firstReply: first < chatReplies.count ? chatReplies[first] : nil,
                lastReply: last < chatReplies.count ? chatReplies[last] : nil))
        }
        return outcomes
    }

    /// Chats that got more messages than their updates need: the bot answered something twice.
    func report(duplicatesIn outcomes: [Outcome], phase: String) -> Int {
        let expected = Dictionary(outcomes.map { ($0.chatID, repliesPerUpdate) }, uniquingKeysWith: +)
        var extra = 0
        var chats = 0
        for (chat, count) in expected {
            let surplus = (lastCollectedReplies[chat]?.count ?? 0) - count
            if surplus > 0 {
                extra += surplus
                chats += 1
            }
        }
        if extra > 0 {
            log("\(phase): \(extra) DUPLICATE messages: \(chats) of \(expected.count) chats got the same answer more than once")
        }
        return extra
    }

    /// One line per update: when it was queued, served and answered (Unix seconds; empty when it never was).
    func writeCSV(_ outcomes: [Outcome], phase: String) {
        guard let directory = options.csvDirectory else { return }
        var text = "queued,served,first_reply,last_reply\n"
        func field(_ date: Date?) -> String { date.map { String(format: "%.6f", $0.timeIntervalSince1970) } ?? "" }
        for outcome in outcomes {
            text += [outcome.queuedAt, outcome.servedAt, outcome.firstReply, outcome.lastReply].map(field).joined(separator: ",") + "\n"
        }
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(name)-\(phase).csv")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            log("could not write \(url.path): \(error)")
        }
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
