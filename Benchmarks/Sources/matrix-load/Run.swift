import Foundation
import LoadSupport
import StewardTesting

struct Options: Sendable {
    var users = 4
    var burst = 200
    var rate = 10.0
    var seconds = 10.0
    var text = "/help"
    var keep = false
    var stallSeconds = 60.0
}

/// What one phase measured.
struct PhaseResult: Sendable {
    var messages: Int
    var answered: Int
    var wallSeconds: Double
    var stewardCPU: Double
    var stewardSwitches: Int
    var synapseCPU: Double?
    var latencies: [Double]

    var cpuMicrosPerMessage: Double { stewardCPU * 1e6 / Double(max(answered, 1)) }
    var switchesPerMessage: Double { Double(stewardSwitches) / Double(max(answered, 1)) }
    var synapseMicrosPerMessage: Double? { synapseCPU.map { $0 * 1e6 / Double(max(answered, 1)) } }

    var line: String {
        let sorted = latencies.sorted()
        var text = String(format: "%d/%d answered in %.2f s; Steward %.0f µs CPU/msg, %.1f ctx switches/msg",
                          answered, messages, wallSeconds, cpuMicrosPerMessage, switchesPerMessage)
        if let synapse = synapseMicrosPerMessage { text += String(format: "; Synapse %.0f µs CPU/msg", synapse) }
        return text + "; send→answer p50 \(milliseconds(percentile(sorted, 0.5))) p99 \(milliseconds(percentile(sorted, 0.99)))"
    }
}

struct RunResult: Sendable {
    var binary: String
    var burst: PhaseResult
    var paced: PhaseResult
    var residentMB: Double
    var threads: Int
}

/// One steward binary, from a fresh account and data directory to its numbers.
func runOnce(binary: String, label: String, server: Homeserver, admin: Account, options: Options) async throws -> RunResult {
    let tag = UUID().uuidString.prefix(6).lowercased()
    let bot = try await server.register("bot-\(tag)")
    try await admin.liftRateLimit(of: bot.userID)  // Synapse's 2 msg/s test limit would be all we'd measure
    var users: [Account] = []
    for index in 0..<options.users {
        let user = try await server.register("u\(index)-\(tag)")
        try await admin.liftRateLimit(of: user.userID)
        users.append(user)
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-load-\(tag)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !options.keep { try? FileManager.default.removeItem(at: directory) } }

    let inherited = ProcessInfo.processInfo.environment
    var environment: [String: String] = [:]
    for key in ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME"] { environment[key] = inherited[key] }
    environment["MATRIX_HOMESERVER_URL"] = server.url
    environment["MATRIX_ACCESS_TOKEN"] = bot.token
    environment["STEWARD_DATA_DIR"] = directory.appendingPathComponent("data").path
    environment["STEWARD_HTTP_HOST"] = "127.0.0.1"
    environment["STEWARD_HTTP_PORT"] = String(try freeLoopbackPort())
    environment["STEWARD_LOG_LEVEL"] = "warning"
    environment["STEWARD_TIMEZONE"] = "UTC"
    environment["STEWARD_ALLOWED_USERS"] = users.map { "matrix:\($0.userID)" }.joined(separator: ",")
    let steward = try BotProcess(name: "steward", command: [binary, "run"], environment: environment, directory: directory)
    try steward.start()
    say("[\(label)] steward pid \(steward.pid), bot \(bot.userID), \(options.users) users, data in \(directory.path)")
    do {
        let result = try await drive(steward: steward, bot: bot, users: users, server: server, options: options, label: label,
                                     binary: binary)
        await steward.stop()
        return result
    } catch {
        say("[\(label)] failed: \(error)\n--- steward log tail ---\n\(steward.logTail())")
        await steward.stop()
        throw error
    }
}

private func drive(steward: BotProcess, bot: Account, users: [Account], server: Homeserver, options: Options,
                   label: String, binary: String) async throws -> RunResult {
    // Each user opens a DM with the bot; Steward accepts invites from allowed users.
    var rooms: [String] = []
    for user in users { rooms.append(try await user.createDirectChat(with: bot.userID)) }
    let joinDeadline = now() + 60
    for (user, room) in zip(users, rooms) {
        while try await !user.joinedMembers(of: room).contains(bot.userID) {
            guard steward.isRunning else { throw LoadError("steward exited") }
            guard now() < joinDeadline else { throw LoadError("the bot did not join \(room) within 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
    let ledger = Ledger()
    var listeners: [Task<Void, Never>] = []
    for user in users { listeners.append(try await listen(user, bot: bot.userID, ledger: ledger)) }
    defer { for listener in listeners { listener.cancel() } }

    // Warm-up: one message per user, answered, before anything is measured.
    let warm = try await phase(users: users, rooms: rooms, count: users.count, interval: 0, ledger: ledger,
                               steward: steward, server: server, options: options)
    try await Task.sleep(for: .seconds(1))
    let extra = await ledger.unmatched
    say("[\(label)] warm-up: \(warm.answered)/\(warm.messages) answered, p50 \(milliseconds(percentile(warm.latencies.sorted(), 0.5)))"
          + (extra > 0 ? "; \(extra) more bot messages than messages sent (more than one answer each?)" : ""))

    let burst = try await phase(users: users, rooms: rooms, count: options.burst, interval: 0, ledger: ledger,
                                steward: steward, server: server, options: options)
    say("[\(label)] burst  \(burst.line)")
    try await Task.sleep(for: .seconds(1))
    let count = max(1, Int(options.rate * options.seconds))
    let paced = try await phase(users: users, rooms: rooms, count: count, interval: 1 / options.rate, ledger: ledger,
                                steward: steward, server: server, options: options)
    say(String(format: "[\(label)] paced \(options.rate) msg/s  ", options.rate) + paced.line)
    let sample = ProcessSample.read(pid: steward.pid)
    say(String(format: "[\(label)] RSS %.1f MB, %d threads", sample?.residentMB ?? 0, sample?.threads ?? 0))
    return RunResult(binary: binary, burst: burst, paced: paced, residentMB: sample?.residentMB ?? 0, threads: sample?.threads ?? 0)
}

/// Sends `count` messages round-robin over the users (message i due at i × interval; 0 = all at once, each
/// user sending its share one after another) and waits for every answer.
private func phase(users: [Account], rooms: [String], count: Int, interval: Double, ledger: Ledger,
                   steward: BotProcess, server: Homeserver, options: Options) async throws -> PhaseResult {
    await ledger.reset()
    let before = ProcessSample.read(pid: steward.pid)
    let synapseBefore = server.pid.flatMap(ProcessSample.read(pid:))
    let start = now()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, user) in users.enumerated() {
            let room = rooms[index]
            group.addTask {
                var sequence = index
                while sequence < count {
                    let due = start + Double(sequence) * interval
                    let wait = due - now()
                    if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                    await ledger.sent(in: room, at: now())
                    try await user.say(options.text, in: room, txn: "m\(sequence)-\(UUID().uuidString.prefix(8))")
                    sequence += users.count
                }
            }
        }
        try await group.waitForAll()
    }
    var lastProgress = (now(), 0)
    while await ledger.answered < count {
        let answered = await ledger.answered
        if answered != lastProgress.1 { lastProgress = (now(), answered) }
        guard now() - lastProgress.0 < options.stallSeconds else {
            throw LoadError("no answer for \(Int(options.stallSeconds)) s: \(answered)/\(count) answered")
        }
        guard steward.isRunning else { throw LoadError("steward exited") }
        try await Task.sleep(for: .milliseconds(20))
    }
    let end = await ledger.lastReply
    // What follows the answer (marking it sent) belongs to this phase too.
    try await Task.sleep(for: .milliseconds(500))
    let after = ProcessSample.read(pid: steward.pid)
    let synapseAfter = server.pid.flatMap(ProcessSample.read(pid:))
    var synapseCPU: Double?
    if let synapseBefore, let synapseAfter { synapseCPU = synapseAfter.cpu(since: synapseBefore) }
    return PhaseResult(messages: count, answered: await ledger.answered, wallSeconds: end - start,
                       stewardCPU: before.flatMap { before in after?.cpu(since: before) } ?? 0,
                       stewardSwitches: (after?.contextSwitches ?? 0) - (before?.contextSwitches ?? 0),
                       synapseCPU: synapseCPU, latencies: await ledger.latencies)
}

