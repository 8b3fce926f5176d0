import Foundation

/// A message the fake Slack holds: what the bot posted (or a user wrote), with its blocks as sent.
public struct FakeSlackMessage: Sendable, Equatable {
    public var channel: String
    public var ts: String
    public var text: String
    public var blocks: FakeJSON?
    public var editCount: Int

    /// The `value`s of every button in the message's actions blocks.
    public var buttonValues: [String] {
        (blocks?.arrayValue ?? []).flatMap { block in
            block["type"]?.stringValue == "actions" ? (block["elements"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue } : []
        }
    }
}

/// One Web API call as the fake saw it.
public struct FakeSlackRequest: Sendable {
    public var method: String
    public var parameters: [String: FakeJSON]
    /// The token from `Authorization: Bearer` (or the `token` parameter).
    public var token: String?
    public var status: Int
    public var error: String?
    public var at: Date
}

/// A fault the fake answers with instead of doing the call.
public enum FakeSlackFault: Sendable, Equatable {
    /// HTTP 429 with `Retry-After` and `{"ok": false, "error": "ratelimited"}`.
    case rateLimited(retryAfter: Int)
    /// HTTP 5xx with no Web API body.
    case serverError(status: Int)
}

/// Everything the fake Slack Web API knows: channels, DMs, messages, recorded calls, faults.
/// The methods follow Slack's documented request and answer shapes; see `handle(method:parameters:token:)`.
public actor FakeSlackState {
    public nonisolated let botToken: String
    public nonisolated let appToken: String
    public nonisolated let botUserID: String
    public nonisolated let botID: String
    public nonisolated let teamID: String

    var channels: Set<String> = []
    /// Public channels that exist but that the bot has not joined: posting there is `not_in_channel`.
    var channelsWithoutBot: Set<String> = []
    /// User id → their DM channel with the bot.
    var directChannels: [String: String] = [:]
    var messages: [String: [FakeSlackMessage]] = [:]
    var recorded: [FakeSlackRequest] = []
    var faults: [(fault: FakeSlackFault, remaining: Int, method: String?)] = []
    var nextTS = 1_700_000_000_000_100
    var socketTicket = 0
    /// Where `apps.connections.open` points; set by `FakeSlackSocketMode` once it listens.
    var socketURL: String?
    /// Tickets handed out and not yet used: each Socket Mode URL works once, as Slack's do.
    var socketTickets: Set<String> = []

    public init(botToken: String, appToken: String, botUserID: String = "UBOTSTEWARD", botID: String = "BSTEWARD",
                teamID: String = "T0STEWARD") {
        self.botToken = botToken
        self.appToken = appToken
        self.botUserID = botUserID
        self.botID = botID
        self.teamID = teamID
    }

    // MARK: Test API

    /// Makes a channel (`C…`/`G…`) known, with the bot as a member.
    public func addChannel(_ id: String) { channels.insert(id) }

    /// Makes a public channel known that the bot is *not* a member of: `chat.postMessage` there fails
    /// with `not_in_channel`, as Slack's does (slash commands still work there, via `response_url`).
    public func addChannelWithoutBot(_ id: String) { channelsWithoutBot.insert(id) }

    /// Makes a user known; their DM with the bot is `D` + the user id without its first letter.
    @discardableResult
    public func addUser(_ userID: String) -> String {
        let dm = directChannels[userID] ?? "D" + userID.dropFirst()
        directChannels[userID] = dm
        channels.insert(dm)
        return dm
    }

    public func removeChannel(_ id: String) { channels.remove(id) }

    public func messages(in channel: String) -> [FakeSlackMessage] { messages[channel] ?? [] }
    public func allMessages() -> [FakeSlackMessage] { messages.values.flatMap { $0 }.sorted { $0.ts < $1.ts } }

    public func requests(method: String? = nil) -> [FakeSlackRequest] {
        method.map { name in recorded.filter { $0.method == name } } ?? recorded
    }

    /// The next `times` calls (of `method`, or any) answer with `fault`.
    public func injectFault(_ fault: FakeSlackFault, times: Int = 1, method: String? = nil) {
        faults.append((fault, times, method))
    }

    func setSocketURL(_ url: String) { socketURL = url }

    /// True the first time `ticket` (from an `apps.connections.open` URL) is used, false ever after.
    func redeemSocketTicket(_ ticket: String) -> Bool { socketTickets.remove(ticket) != nil }

    func takeFault(for method: String) -> FakeSlackFault? {
        guard let index = faults.firstIndex(where: { $0.remaining > 0 && ($0.method == nil || $0.method == method) }) else { return nil }
        faults[index].remaining -= 1
        let fault = faults[index].fault
        if faults[index].remaining == 0 { faults.remove(at: index) }
        return fault
    }

    func record(_ method: String, _ parameters: [String: FakeJSON], token: String?, status: Int, error: String?) {
        recorded.append(FakeSlackRequest(method: method, parameters: parameters, token: token, status: status,
                                         error: error, at: Date()))
    }

    // MARK: Web API

    /// Performs one Web API method and returns its JSON answer (`ok: false` + `error` on refusal).
    func handle(method: String, parameters p: [String: FakeJSON], token: String?) -> FakeJSON {
        let answer = perform(method, p, token: token)
        record(method, p, token: token, status: 200, error: answer["ok"] == .bool(false) ? answer["error"]?.stringValue : nil)
        return answer
    }

    private func perform(_ method: String, _ p: [String: FakeJSON], token: String?) -> FakeJSON {
        func fail(_ error: String) -> FakeJSON { ["ok": false, "error": .string(error)] }
        guard let token, !token.isEmpty else { return fail("not_authed") }
        if method == "apps.connections.open" {
            guard token == appToken else { return fail(token.hasPrefix("xoxb-") ? "not_allowed_token_type" : "invalid_auth") }
            socketTicket += 1
            guard let socketURL else { return fail("internal_error") }
            let ticket = "\(socketTicket)-\(UUID().uuidString.prefix(8).lowercased())"
            socketTickets.insert(ticket)
            return ["ok": true, "url": .string("\(socketURL)?ticket=\(ticket)&app_id=A0STEWARD")]
        }
        guard token == botToken else { return fail("invalid_auth") }
        switch method {
        case "auth.test":
            return ["ok": true, "url": "https://steward-test.slack.com/", "team": "Steward Test", "user": "steward",
                    "team_id": .string(teamID), "user_id": .string(botUserID), "bot_id": .string(botID)]
        case "chat.postMessage", "chat.postEphemeral":
            if let target = p["channel"]?.stringValue, channelsWithoutBot.contains(target) { return fail("not_in_channel") }
            guard let target = p["channel"]?.stringValue, let channel = resolve(target) else { return fail("channel_not_found") }
            let text = p["text"]?.stringValue ?? ""
            let blocks = p["blocks"]?.arrayValue
            guard !text.isEmpty || !(blocks ?? []).isEmpty else { return fail("no_text") }
            if let blocks, let problem = Self.invalidBlocks(blocks) { return fail(problem) }
            let ts = newTS()
            if method == "chat.postEphemeral" { return ["ok": true, "message_ts": .string(ts)] }
            let message = FakeSlackMessage(channel: channel, ts: ts, text: text, blocks: blocks.map(FakeJSON.array), editCount: 0)
            messages[channel, default: []].append(message)
            return ["ok": true, "channel": .string(channel), "ts": .string(ts),
                    "message": ["type": "message", "user": .string(botUserID), "bot_id": .string(botID), "text": .string(text),
                                "ts": .string(ts), "blocks": .array(blocks ?? [])]]
        case "chat.update":
            guard let target = p["channel"]?.stringValue, let channel = resolve(target) else { return fail("channel_not_found") }
            guard let ts = p["ts"]?.stringValue, let index = messages[channel]?.firstIndex(where: { $0.ts == ts }) else {
                return fail("message_not_found")
            }
            let text = p["text"]?.stringValue ?? ""
            let blocks = p["blocks"]?.arrayValue
            guard !text.isEmpty || !(blocks ?? []).isEmpty else { return fail("no_text") }
            if let blocks, let problem = Self.invalidBlocks(blocks) { return fail(problem) }
            messages[channel]![index].text = text
            // Per the docs, blocks omitted keep the old ones; an empty array removes them.
            if let blocks { messages[channel]![index].blocks = .array(blocks) }
            messages[channel]![index].editCount += 1
            return ["ok": true, "channel": .string(channel), "ts": .string(ts), "text": .string(text)]
        case "conversations.open":
            guard let users = p["users"]?.stringValue, !users.isEmpty else { return fail("users_list_not_supplied") }
            let ids = users.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ids.count == 1, let dm = directChannels[ids[0]] else { return fail("user_not_found") }
            return ["ok": true, "channel": ["id": .string(dm)]]
        default:
            return fail("unknown_method")
        }
    }

    /// A known channel id, or a user id standing for the DM with them (as Slack allows).
    private func resolve(_ target: String) -> String? {
        if channels.contains(target) { return target }
        return directChannels[target]
    }

    private func newTS() -> String {
        nextTS += 1
        return String(format: "%d.%06d", nextTS / 1_000_000, nextTS % 1_000_000)
    }

    /// Block Kit checks Slack makes: known block types, section text, buttons with text and action_id.
    static func invalidBlocks(_ blocks: [FakeJSON]) -> String? {
        for block in blocks {
            switch block["type"]?.stringValue {
            case "section":
                guard block["text"]?["text"]?.stringValue.map({ !$0.isEmpty && $0.count <= 3000 }) == true else { return "invalid_blocks" }
            case "actions":
                for element in block["elements"]?.arrayValue ?? [] {
                    guard element["type"]?.stringValue == "button", element["text"]?["type"]?.stringValue == "plain_text",
                          element["action_id"]?.stringValue != nil else { return "invalid_blocks" }
                    if let style = element["style"]?.stringValue, !["primary", "danger"].contains(style) { return "invalid_blocks" }
                }
            default:
                return "invalid_blocks"
            }
        }
        return nil
    }
}
