import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// The real `steward` binary against a real Synapse (started by `scripts/matrix-test-server.sh`), with
/// people on it acting through the Client-Server API like their own Matrix clients.
struct MatrixWorld {
    let synapse: Synapse
    let bot: MatrixTestUser
    let owner: MatrixTestUser
    let friend: MatrixTestUser
    let stranger: MatrixTestUser
    let workspace: URL
    let calendarFile: URL
    let environment: [String: String]

    /// Steward's account keeps the homeserver's message rate limit (2/s, bursts of 5); people have none.
    init(extraEnvironment: [String: String] = [:]) async throws {
        synapse = try await Synapse.running()
        bot = try await synapse.register("steward", limited: true)
        owner = try await synapse.register("ana")
        friend = try await synapse.register("ben")
        stranger = try await synapse.register("eve")
        workspace = try makeWorkspace()
        calendarFile = try writeCalendar(in: workspace)
        environment = [
            "MATRIX_HOMESERVER_URL": synapse.url.absoluteString,
            "MATRIX_USER_ID": bot.userID,
            "MATRIX_PASSWORD": bot.password,
            "STEWARD_SECRET_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "STEWARD_OWNERS": owner.identity,
            "STEWARD_ALLOWED_USERS": friend.identity,
            "STEWARD_HTTP_PORT": "\(try freeLoopbackPort())",
            "STEWARD_LOG_LEVEL": "info",
        ].merging(extraEnvironment) { $1 }
        let add = try StewardProcess(["accounts", "add", "ics", "--user", owner.identity, "--file", calendarFile.path],
                                     environment: environment, directory: workspace)
        guard try await add.exitStatus() == 0 else { throw ProcessFailure("accounts add failed: \(add.stderr)") }
    }

    func start() throws -> StewardProcess {
        try StewardProcess(environment: environment, directory: workspace)
    }

    func finish(_ processes: StewardProcess...) {
        for process in processes where process.process.isRunning { process.kill9() }
        try? FileManager.default.removeItem(at: workspace)
    }

    /// A DM the owner opened with Steward, once Steward has joined it.
    func directChat(of user: MatrixTestUser, _ steward: StewardProcess) async throws -> String {
        let room = try await user.createDirectChat(with: bot.userID)
        try await waitForJoin(room, steward)
        return room
    }

    func waitForJoin(_ room: String, _ steward: StewardProcess) async throws {
        do {
            try await waitUntil(timeout: .seconds(30)) {
                let membership = try? await owner.membership(of: bot.userID, in: room)
                return membership == "join"
            }
        } catch {
            throw ProcessFailure("Steward did not join \(room); stderr:\n\(steward.stderr)")
        }
    }

    /// Steward's messages in `room` (edits and reactions aside), oldest first.
    func stewardMessages(in room: String, as reader: MatrixTestUser? = nil) async throws -> [MatrixTestEvent] {
        try await (reader ?? owner).events(in: room).filter { $0.sender == bot.userID && $0.isMessage }
    }

    /// Waits until Steward has posted `count` messages in `room`, then returns them.
    @discardableResult
    func waitForMessages(_ count: Int, in room: String, as reader: MatrixTestUser? = nil, timeout: Duration = .seconds(30),
                         _ steward: StewardProcess) async throws -> [MatrixTestEvent] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let sent = try await stewardMessages(in: room, as: reader)
            if sent.count >= count { return sent }
            try await Task.sleep(for: .milliseconds(100))
        }
        let sent = try await stewardMessages(in: room, as: reader).map(\.body)
        throw ProcessFailure("expected \(count) message(s) from Steward in \(room), got \(sent.count): \(sent)\nstderr:\n\(steward.stderr.suffix(4000))")
    }

    /// Steward's edits of `eventID`, oldest first.
    func edits(of eventID: String, in room: String) async throws -> [MatrixTestEvent] {
        try await owner.events(in: room).filter { $0.sender == bot.userID && $0.relationType == "m.replace" && $0.relatedEventID == eventID }
    }

    /// The reaction keys Steward put on `eventID`.
    func stewardReactions(on eventID: String, in room: String) async throws -> [String] {
        try await owner.events(in: room).filter { $0.sender == bot.userID && $0.type == "m.reaction" && $0.relatedEventID == eventID }
            .compactMap(\.reactionKey)
    }

    /// Waits until `/healthz` answers 200: every platform synced at least once.
    func waitForHealthy(_ steward: StewardProcess) async throws {
        let url = URL(string: "http://127.0.0.1:\(environment["STEWARD_HTTP_PORT"] ?? "")/healthz")!
        do {
            try await waitUntil(timeout: .seconds(30)) {
                let answer = try? await URLSession.shared.data(from: url)
                return (answer?.1 as? HTTPURLResponse)?.statusCode == 200
            }
        } catch {
            throw ProcessFailure("/healthz never said ok; stderr:\n\(steward.stderr)")
        }
    }

    /// `/metrics` as Prometheus text.
    func metrics() async throws -> String {
        let url = URL(string: "http://127.0.0.1:\(environment["STEWARD_HTTP_PORT"] ?? "")/metrics")!
        return String(decoding: try await URLSession.shared.data(from: url).0, as: UTF8.self)
    }

    func occurrences(_ needle: String) throws -> Int {
        try String(contentsOf: calendarFile, encoding: .utf8).components(separatedBy: needle).count - 1
    }
}
