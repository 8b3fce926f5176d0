import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A request exactly as Slack would send it to an app: body bytes plus the signing headers.
public struct FakeSlackSignedRequest: Sendable {
    public var path: String
    public var contentType: String
    public var body: Data
    /// `Content-Type`, `X-Slack-Request-Timestamp`, `X-Slack-Signature` (and `X-Slack-Retry-Num` for a retry).
    public var headers: [(name: String, value: String)]

    public var headerDictionary: [String: String] {
        Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    /// POSTs this request to an app listening on `127.0.0.1:port`, as Slack would; returns the status and
    /// the body of the answer.
    public func post(toPort port: Int) async throws -> (status: Int, body: String) {
        var urlRequest = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = body
        for header in headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.setValue(contentType, forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: urlRequest)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

/// Builds and signs the payloads Slack POSTs to an app (Events API, slash commands, interactivity),
/// following Slack's documented shapes and its `v0` signing scheme, so tests can drive the real routes
/// or the real binary over HTTP with any client.
public struct FakeSlackSigner: Sendable {
    public let signingSecret: String
    /// Where this signer's slash commands point their `response_url` (`{base}/<trigger_id>`): a
    /// `FakeSlackServer.responseURLBase`, so answers reach the fake; nil = a hooks.slack.com address.
    public var responseURLBase: URL?

    public init(signingSecret: String, responseURLBase: URL? = nil) {
        self.signingSecret = signingSecret
        self.responseURLBase = responseURLBase
    }

    /// `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed with the signing secret.
    public func signature(timestamp: String, body: Data) -> String {
        var message = Data("v0:\(timestamp):".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(signingSecret.utf8)))
        return "v0=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public func sign(path: String, contentType: String, body: Data, at date: Date = Date(), retryNum: Int? = nil) -> FakeSlackSignedRequest {
        let timestamp = String(Int(date.timeIntervalSince1970))
        var headers = [(name: "Content-Type", value: contentType),
                       (name: "X-Slack-Request-Timestamp", value: timestamp),
                       (name: "X-Slack-Signature", value: signature(timestamp: timestamp, body: body))]
        if let retryNum {
            headers.append((name: "X-Slack-Retry-Num", value: String(retryNum)))
            headers.append((name: "X-Slack-Retry-Reason", value: "http_timeout"))
        }
        return FakeSlackSignedRequest(path: path, contentType: contentType, body: body, headers: headers)
    }

    // MARK: Payloads

    /// `event_callback` with a DM (`message.im`) from `user`.
    public static func directMessage(_ text: String, from user: String, channel: String, eventID: String,
                                     team: String = "T0STEWARD") -> FakeJSON {
        eventCallback(["type": "message", "channel": .string(channel), "user": .string(user), "text": .string(text),
                       "ts": .string(Self.ts()), "event_ts": .string(Self.ts()), "channel_type": "im"],
                      eventID: eventID, team: team)
    }

    /// `event_callback` with an `app_mention` of `botUserID` in `channel`.
    public static func mention(_ text: String, botUserID: String, from user: String, channel: String, eventID: String,
                               team: String = "T0STEWARD") -> FakeJSON {
        eventCallback(["type": "app_mention", "channel": .string(channel), "user": .string(user),
                       "text": .string("<@\(botUserID)> \(text)"), "ts": .string(Self.ts()), "event_ts": .string(Self.ts())],
                      eventID: eventID, team: team)
    }

    public static func eventCallback(_ event: FakeJSON, eventID: String, team: String = "T0STEWARD") -> FakeJSON {
        ["token": "XXYYZZ", "team_id": .string(team), "api_app_id": "A0STEWARD", "event": event, "type": "event_callback",
         "event_id": .string(eventID), "event_time": .int(Int64(Date().timeIntervalSince1970)),
         "authorizations": [["team_id": .string(team), "user_id": "UBOTSTEWARD", "is_bot": true]]]
    }

    public static func urlVerification(challenge: String) -> FakeJSON {
        ["token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": .string(challenge), "type": "url_verification"]
    }

    /// The form fields of a slash command.
    public static func slashCommand(_ command: String, text: String, user: String, channel: String,
                                    triggerID: String, responseURL: String = "https://hooks.slack.com/commands/T0STEWARD/1/abc",
                                    team: String = "T0STEWARD") -> [(String, String)] {
        [("token", "gIkuvaNzQIHg97ATvDxqgjtO"), ("team_id", team), ("team_domain", "steward-test"),
         ("channel_id", channel), ("channel_name", channel.hasPrefix("D") ? "directmessage" : "general"),
         ("user_id", user), ("user_name", "user-\(user.lowercased())"), ("command", command), ("text", text),
         ("api_app_id", "A0STEWARD"), ("response_url", responseURL), ("trigger_id", triggerID)]
    }

    /// The form fields of a slash command whose `response_url` is `{responseURLBase}/<triggerID>`
    /// (or `responseURL` when given).
    public func slashCommand(_ command: String, text: String, user: String, channel: String, triggerID: String,
                             responseURL: String? = nil, team: String = "T0STEWARD") -> [(String, String)] {
        let url = responseURL ?? responseURLBase.map { $0.appendingPathComponent(triggerID).absoluteString }
        return url.map { Self.slashCommand(command, text: text, user: user, channel: channel, triggerID: triggerID,
                                           responseURL: $0, team: team) }
            ?? Self.slashCommand(command, text: text, user: user, channel: channel, triggerID: triggerID, team: team)
    }

    /// A `block_actions` payload for a tap on the button with `value` in the message `messageTS`.
    public static func blockActions(value: String, user: String, channel: String, messageTS: String,
                                    triggerID: String, team: String = "T0STEWARD") -> FakeJSON {
        ["type": "block_actions", "user": ["id": .string(user), "username": "someone", "name": "someone", "team_id": .string(team)],
         "api_app_id": "A0STEWARD", "token": "9s8d9as89d8as9d8as989", "trigger_id": .string(triggerID),
         "container": ["type": "message", "message_ts": .string(messageTS), "channel_id": .string(channel), "is_ephemeral": false],
         "team": ["id": .string(team), "domain": "steward-test"], "channel": ["id": .string(channel), "name": "directmessage"],
         "message": ["type": "message", "ts": .string(messageTS), "text": "card"],
         "response_url": "https://hooks.slack.com/actions/T0STEWARD/1/xyz",
         "actions": [["action_id": .string(value), "block_id": "steward_actions", "text": ["type": "plain_text", "text": "Approve"],
                      "value": .string(value), "type": "button", "action_ts": .string(Self.ts())]]]
    }

    /// Signed `POST /slack/events` with `payload` as JSON.
    public func event(_ payload: FakeJSON, at date: Date = Date(), retryNum: Int? = nil) -> FakeSlackSignedRequest {
        sign(path: "/slack/events", contentType: "application/json", body: payload.data, at: date, retryNum: retryNum)
    }

    /// Signed `POST /slack/commands` with the form fields.
    public func command(_ fields: [(String, String)], at date: Date = Date()) -> FakeSlackSignedRequest {
        sign(path: "/slack/commands", contentType: "application/x-www-form-urlencoded",
             body: Data(Self.formEncode(fields).utf8), at: date)
    }

    /// Signed `POST /slack/interactive`: a form whose `payload` field is the JSON.
    public func interaction(_ payload: FakeJSON, at date: Date = Date()) -> FakeSlackSignedRequest {
        sign(path: "/slack/interactive", contentType: "application/x-www-form-urlencoded",
             body: Data(Self.formEncode([("payload", payload.description)]).utf8), at: date)
    }

    public static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        func escape(_ text: String) -> String {
            text.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }.joined(separator: "+")
        }
        return fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    private static func ts() -> String { String(format: "%.6f", Date().timeIntervalSince1970) }
}
