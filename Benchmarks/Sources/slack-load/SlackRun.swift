import Foundation
import LoadSupport
import StewardHTTP
import StewardTesting

struct Options: Sendable {
    var burst = 5_000
    var rate = 200.0
    var seconds = 10.0
    var text = "/help"
    /// Requests in flight at once in the burst (Slack delivers events concurrently).
    var concurrency = 64
    var stallSeconds = 60.0
    var idleSeconds = 3.0
    var keep = false
    var stewardEnvironment: [String: String] = [:]
}

/// What a phase cost Steward: its process CPU time and its threads' context switches over the events.
struct Cost: Sendable {
    var events: Int
    var cpuSeconds: Double
    var switches: Int

    init?(events: Int, before: ProcessSample?, after: ProcessSample?) {
        guard let before, let after, events > 0 else { return nil }
        self.events = events
        cpuSeconds = after.cpuSeconds - before.cpuSeconds
        switches = max(0, after.contextSwitches - before.contextSwitches)
    }

    var microsecondsPerEvent: Double { cpuSeconds / Double(events) * 1e6 }
    var eventsPerCPUSecond: Double { Double(events) / max(cpuSeconds, 1e-9) }
    var switchesPerEvent: Double { Double(switches) / Double(events) }
    var summary: String {
        String(format: "steward CPU %.2f s = %.0f µs/event = %.0f events per CPU-second, %.1f context switches/event",
               cpuSeconds, microsecondsPerEvent, eventsPerCPUSecond, switchesPerEvent)
    }
}

struct SlackResult: Sendable {
    var eventsPerSecond: Double?
    var burst: Cost?
    var paced: Cost?
    var latency: Distribution?
    var acknowledgement: Distribution?
    var idleCPUPercent: Double?
    var idleMB: Double?
    var residentMB: Double?
    var failure: String?
}

/// One event POSTed: to which DM, when it left, when Steward's 200 came back.
struct Posted: Sendable {
    let channel: String
    let sentAt: Date
    let ackedAt: Date?
    let status: Int
}

/// Steward (the real binary) against the fake Slack Web API, fed signed Events API DMs over HTTP:
/// start → endpoint up → idle → probe → warm-up (every user once) → burst → paced → RSS.
@MainActor
final class SlackRun {
    let options: Options
    let command: [String]
    let server = FakeSlackServer()
    let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    let signer: FakeSlackSigner
    let transport = AsyncHTTPTransport()
    let users: [String]
    var bot: BotProcess?
    var port = 0
    var nextEvent = 0
    var repliesPerEvent = 1
    let clock = ContinuousClock()

    init(command: [String], options: Options) {
        self.command = command
        self.options = options
        signer = FakeSlackSigner(signingSecret: secret)
        let count = max(options.burst, Int(options.rate * options.seconds), 1)
        users = (1...count).map { "U\(100_000 + $0)" }
    }

    func log(_ line: String) {
        print("[steward] \(line)")
        fflush(nil)
    }

    /// The DM channel the fake gives a user (`FakeSlackState.addUser`).
    func channel(of user: String) -> String { "D" + user.dropFirst() }

    func run() async -> SlackResult {
        var result = SlackResult()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slack-load-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try await server.start()
            for user in users { await server.state.addUser(user) }
            let bot = try await launch(in: directory)
            self.bot = bot
            try await waitUntilListening(bot)
            try await watchIdle(bot, into: &result)
            try await phases(bot, into: &result)
        } catch {
            result.failure = "\(error)"
            log("FAILED: \(error)")
            if let bot { log("last lines of its output (\(bot.logURL.path)):\n" + bot.logTail()) }
        }
        if let bot { await bot.stop() }
        await server.stop()
        try? await transport.shutdown()
        if options.keep || result.failure != nil { log("kept \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) }
        return result
    }

    func launch(in directory: URL) async throws -> BotProcess {
        let inherited = ProcessInfo.processInfo.environment
        var environment: [String: String] = [:]
        for key in ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME"] { environment[key] = inherited[key] }
        port = try freeLoopbackPort()
        environment["SLACK_BOT_TOKEN"] = server.botToken
        environment["SLACK_SIGNING_SECRET"] = secret
        environment["SLACK_API_URL"] = try await server.apiURL.absoluteString
        environment["STEWARD_DATA_DIR"] = directory.appendingPathComponent("data").path
        environment["STEWARD_HTTP_HOST"] = "127.0.0.1"
        environment["STEWARD_HTTP_PORT"] = String(port)
        environment["STEWARD_LOG_LEVEL"] = "warning"
        environment["STEWARD_TIMEZONE"] = "UTC"
        environment.merge(options.stewardEnvironment, uniquingKeysWith: { $1 })
        // Too long for one environment variable: the allow-list goes into the bot.env Steward reads.
        let allowed = users.map { "slack:\($0)" }.joined(separator: ",")
        try "STEWARD_ALLOWED_USERS=\(allowed)\n".write(to: directory.appendingPathComponent("bot.env"), atomically: true, encoding: .utf8)
        let bot = try BotProcess(name: "steward", command: command, environment: environment, directory: directory)
        try bot.start()
        log("started pid \(bot.pid): \(command.joined(separator: " ")) on port \(port)")
        return bot
    }

    /// Until a signed `url_verification` is answered with its challenge.
    func waitUntilListening(_ bot: BotProcess) async throws {
        let started = clock.now
        while true {
            let request = signer.event(FakeSlackSigner.urlVerification(challenge: "ready"))
            if let answer = try? await transport.send(Self.spec(request, port: port)), answer.status == 200 { break }
            guard bot.isRunning else { throw LoadError("steward exited before it listened") }
            guard clock.now - started < .seconds(120) else { throw LoadError("no answer on port \(port) within 120 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let memory = ProcessSample.read(pid: bot.pid).map { "; RSS \($0.memoryDescription)" } ?? ""
        log("listening after \(format(duration: seconds(clock.now - started)))\(memory)")
    }

    func watchIdle(_ bot: BotProcess, into result: inout SlackResult) async throws {
        guard options.idleSeconds > 0 else { return }
        try await Task.sleep(for: .seconds(1))
        let start = clock.now
        guard let before = ProcessSample.preciseCPUSeconds(pid: bot.pid) else { return }
        try await Task.sleep(for: .seconds(options.idleSeconds))
        guard let after = ProcessSample.preciseCPUSeconds(pid: bot.pid), let sample = ProcessSample.read(pid: bot.pid) else { return }
        let elapsed = seconds(clock.now - start)
        result.idleCPUPercent = (after - before) / elapsed * 100
        result.idleMB = sample.residentMB
        log(String(format: "idle %.1f s: CPU %.3f%% of one core; %d threads; RSS ", elapsed, result.idleCPUPercent!, sample.threads)
            + sample.memoryDescription)
    }

    func phases(_ bot: BotProcess, into result: inout SlackResult) async throws {
        // Probe: how many messages answer one event.
        var mark = await postMessageCount()
        _ = try await burst(Array(users.prefix(1)))
        try await waitForReplies(chats: 1, since: mark, phase: "probe")
        try await Task.sleep(for: .milliseconds(500))
        repliesPerEvent = max(1, await postMessageCount() - mark)

        // Warm-up: every user writes once (Steward creates the user, opens the home chat).
        mark = await postMessageCount()
        var started = clock.now
        let warm = try await burst(users)
        try await waitForReplies(chats: users.count, since: mark, phase: "warm-up")
        log("warm-up: \(warm.count) events from \(users.count) users answered in \(format(duration: seconds(clock.now - started))) "
            + "(\(repliesPerEvent) message(s) per answer)")
        if let line = try await bot.settle(after: "warm-up") { log(line) }

        // Burst: N events, `concurrency` in flight; first POST → last reply.
        let burstUsers = Array(users.prefix(options.burst))
        mark = await postMessageCount()
        var before = ProcessSample.read(pid: bot.pid)
        let posted = try await burst(burstUsers)
        try await waitForReplies(chats: burstUsers.count, since: mark, phase: "burst")
        let cost = Cost(events: burstUsers.count, before: before, after: ProcessSample.read(pid: bot.pid))
        let arrivals = await replies(since: mark)
        if let first = posted.map(\.sentAt).min(), let last = arrivals.values.map(\.last).max() {
            let elapsed = last.timeIntervalSince(first)
            result.eventsPerSecond = Double(burstUsers.count) / elapsed
            log("burst: \(burstUsers.count) events (\(options.concurrency) in flight) answered in \(format(duration: elapsed)) = "
                + "\(format(rate: result.eventsPerSecond!)) events/s; " + (cost?.summary ?? ""))
        }
        result.burst = cost
        log("burst: POST → 200 " + Distribution(posted.compactMap { $0.ackedAt?.timeIntervalSince($0.sentAt) }).summary)
        if let line = try await bot.settle(after: "burst") { log(line) }

        // Paced: R events/s for S seconds, each POST on time whatever the previous one is doing.
        let count = max(1, Int(options.rate * options.seconds))
        let pacedUsers = Array(users.prefix(count))
        mark = await postMessageCount()
        before = ProcessSample.read(pid: bot.pid)
        started = clock.now
        let paced = try await pace(pacedUsers)
        let offered = Double(count) / max(seconds(clock.now - started), 1e-9)
        try await waitForReplies(chats: count, since: mark, phase: "paced")
        result.paced = Cost(events: count, before: before, after: ProcessSample.read(pid: bot.pid))
        let pacedArrivals = await replies(since: mark)
        let latency = Distribution(paced.compactMap { post in pacedArrivals[post.channel].map { $0.first.timeIntervalSince(post.sentAt) } })
        let acknowledgement = Distribution(paced.compactMap { $0.ackedAt?.timeIntervalSince($0.sentAt) })
        result.latency = latency
        result.acknowledgement = acknowledgement
        log("paced at \(format(rate: options.rate))/s (\(count) events, offered \(String(format: "%.1f", offered))/s): "
            + "POST → chat.postMessage \(latency.summary)")
        log("paced: POST → 200 \(acknowledgement.summary); " + (result.paced?.summary ?? ""))
        let failed = (posted + paced).filter { $0.status != 200 }.count
        if failed > 0 { log("\(failed) POSTs were not answered 200") }
        if let sample = ProcessSample.read(pid: bot.pid) {
            result.residentMB = sample.residentMB
            log("RSS after \(nextEvent) events: \(sample.memoryDescription)")
        }
    }

    // MARK: - Sending

    /// A signed `event_callback` DM from `user`, with a fresh event id.
    func event(from user: String) -> FakeSlackSignedRequest {
        nextEvent += 1
        let payload = FakeSlackSigner.directMessage(options.text, from: user, channel: channel(of: user), eventID: "EvLOAD\(nextEvent)")
        return signer.event(payload)
    }

    nonisolated static func spec(_ request: FakeSlackSignedRequest, port: Int) -> HTTPRequestSpec {
        HTTPRequestSpec(method: "POST", url: URL(string: "http://127.0.0.1:\(port)\(request.path)")!,
                        headers: request.headers, body: request.body, timeout: .seconds(30))
    }

    nonisolated func post(_ request: FakeSlackSignedRequest, channel: String, port: Int) async -> Posted {
        let sent = Date()
        let answer = try? await transport.send(Self.spec(request, port: port))
        return Posted(channel: channel, sentAt: sent, ackedAt: answer.map { _ in Date() }, status: answer?.status ?? 0)
    }

    /// One event per user, `concurrency` POSTs in flight; signed up front so signing is not timed.
    func burst(_ from: [String]) async throws -> [Posted] {
        let requests = from.map { (event(from: $0), channel(of: $0)) }
        let width = options.concurrency
        let port = self.port
        return await withTaskGroup(of: Posted.self) { group in
            var results: [Posted] = []
            results.reserveCapacity(requests.count)
            var iterator = requests.makeIterator()
            for _ in 0..<width {
                guard let (request, channel) = iterator.next() else { break }
                group.addTask { await self.post(request, channel: channel, port: port) }
            }
            while let done = await group.next() {
                results.append(done)
                if let (request, channel) = iterator.next() { group.addTask { await self.post(request, channel: channel, port: port) } }
            }
            return results
        }
    }

    /// One event per user at `rate` per second; each POST starts on time.
    func pace(_ from: [String]) async throws -> [Posted] {
        let requests = from.map { (event(from: $0), channel(of: $0)) }
        let start = clock.now
        let rate = options.rate
        let port = self.port
        return await withTaskGroup(of: Posted.self) { group in
            for (index, (request, channel)) in requests.enumerated() {
                let due = start + .seconds(Double(index) / rate)
                if due > clock.now { try? await clock.sleep(until: due, tolerance: .microseconds(100)) }
                group.addTask { await self.post(request, channel: channel, port: port) }
            }
            var results: [Posted] = []
            while let done = await group.next() { results.append(done) }
            return results
        }
    }

    // MARK: - Watching the fake

    func postMessageCount() async -> Int { await server.state.requests().count }

    /// Per DM channel, the first and last `chat.postMessage` the fake recorded after `mark` calls.
    func replies(since mark: Int) async -> [String: (first: Date, last: Date)] {
        var arrivals: [String: (first: Date, last: Date)] = [:]
        for request in await server.state.requests().dropFirst(mark) where request.method == "chat.postMessage" {
            guard var channel = request.parameters["channel"]?.stringValue else { continue }
            if channel.hasPrefix("U") { channel = self.channel(of: channel) }
            let seen = arrivals[channel]
            arrivals[channel] = (seen.map { min($0.first, request.at) } ?? request.at, seen.map { max($0.last, request.at) } ?? request.at)
        }
        return arrivals
    }

    func waitForReplies(chats expected: Int, since mark: Int, phase: String) async throws {
        var last = -1
        var lastChange = clock.now
        while true {
            let recorded = await server.state.requests().dropFirst(mark)
            var perChat: [String: Int] = [:]
            for request in recorded where request.method == "chat.postMessage" {
                perChat[request.parameters["channel"]?.stringValue ?? "", default: 0] += 1
            }
            let answered = perChat.values.filter { $0 >= repliesPerEvent }.count
            if answered >= expected { return }
            if recorded.count != last {
                last = recorded.count
                lastChange = clock.now
            }
            guard bot?.isRunning ?? false else { throw LoadError("\(phase): steward exited; \(answered) of \(expected) answered") }
            guard clock.now - lastChange < .seconds(options.stallSeconds) else {
                throw LoadError("\(phase): no Web API call for \(Int(options.stallSeconds)) s; \(answered) of \(expected) answered")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
