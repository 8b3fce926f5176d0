import Foundation
import Logging
import StewardCore

/// The last Slack API error this process saw, for `/status` and the log.
///
/// The client reports every failed Web API call and `response_url` post here. Guarantees:
/// - each failure is logged once, as one line naming the method, Slack's error and what to do about it
///   (`invalid_auth` → check `SLACK_BOT_TOKEN`); the same error from the same method again within a
///   minute is logged at debug level only, so a rate-limit storm does not flood the log;
/// - the last failure is kept under `slack.lastError` in the state store once one is attached, so
///   `/status` shows it (with its age) even after a restart; the same failure again is written at
///   most once a minute.
public actor SlackHealth {
    /// One failure as `/status` shows it.
    public struct Problem: Codable, Sendable, Equatable {
        /// Slack's `error` (`not_in_channel`), or what went wrong without an answer.
        public var error: String
        /// The Web API method, or `response_url`.
        public var method: String
        public var at: Date
        /// What the owner should do about it.
        public var hint: String

        public init(error: String, method: String, at: Date, hint: String) {
            self.error = error
            self.method = method
            self.at = at
            self.hint = hint
        }
    }

    public static let stateKey = "slack.lastError"
    private static let quietPeriod: TimeInterval = 60

    public private(set) var last: Problem?
    private var state: (any StateRepository)?
    private var lastWritten: Problem?
    private let logger: Logger

    public init(logger: Logger = Logger(label: "steward.slack")) {
        self.logger = logger
    }

    /// Where the last failure is kept for `/status`; failures seen before are written now.
    public func persist(to state: any StateRepository) async {
        self.state = state
        if let last { await write(last) }
    }

    /// Logs `error` from `method` with its hint and remembers it.
    public func record(_ error: SlackError, method: String, at date: Date = Date()) async {
        let problem = Problem(error: error.reportedError, method: method, at: date, hint: error.hint(method: method))
        let repeated = last.map { $0.error == problem.error && $0.method == method
            && date.timeIntervalSince($0.at) < Self.quietPeriod } ?? false
        let line: Logger.Message = "Slack \(method) failed: \(problem.error) — \(problem.hint)"
        let metadata: Logger.Metadata = ["method": "\(method)", "error": "\(problem.error)"]
        if repeated {
            logger.debug(line, metadata: metadata)
        } else if error == .invalidAuth {
            logger.error(line, metadata: metadata)
        } else {
            logger.warning(line, metadata: metadata)
        }
        last = problem
        if let written = lastWritten, written.error == problem.error, written.method == method,
           date.timeIntervalSince(written.at) < Self.quietPeriod { return }
        await write(problem)
    }

    private func write(_ problem: Problem) async {
        guard let state, let data = try? JSONEncoder.iso8601.encode(problem) else { return }
        do {
            try await state.setValue(String(decoding: data, as: UTF8.self), for: Self.stateKey)
            lastWritten = problem
        } catch {
            logger.debug("could not keep the last Slack error for /status", metadata: ["error": "\(error)"])
        }
    }

    /// The `/status` line: the last failure kept in `state`, how long ago, and the hint.
    public static func statusLine(from state: any StateRepository, now: Date = Date()) async -> String {
        guard let text = try? await state.value(stateKey),
              let problem = try? JSONDecoder.iso8601.decode(Problem.self, from: Data(text.utf8)) else {
            return "Slack: no API errors seen"
        }
        return "Slack: last API error \(problem.error) from \(problem.method), \(age(now.timeIntervalSince(problem.at))) ago"
            + " — \(problem.hint)"
    }

    static func age(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        if total < 120 { return "\(total) s" }
        if total < 7200 { return "\(total / 60) min" }
        if total < 172_800 { return "\(total / 3600) h" }
        return "\(total / 86_400) days"
    }
}

extension SlackError {
    /// Slack's error string, or the kind of failure when Slack sent none.
    var reportedError: String {
        if error.isEmpty || error.contains(" ") {
            return self == .network ? "no_response" : self == .server ? "server_error" : "error"
        }
        return error
    }

    /// What to do about this error, in one sentence for the log and `/status`.
    public func hint(method: String) -> String {
        switch self {
        case .invalidAuth:
            method == "apps.connections.open"
                ? "check SLACK_APP_TOKEN (an app-level xapp- token with connections:write)"
                : "check SLACK_BOT_TOKEN (the xoxb- bot token is wrong or revoked, or the app was uninstalled)"
        case .channelNotFound:
            "the channel or user does not exist or the bot cannot see it: check the id, and invite the bot to private channels"
        case .notInChannel:
            "the bot is not a member of that channel: invite it there (/invite); slash-command answers do not need it"
        case .isArchived:
            "the channel is archived: nothing more is sent there"
        case .ratelimited:
            "Slack asked Steward to slow down: sends pause for Retry-After and then resume by themselves"
        case .server:
            "Slack answered with a server error: sends are retried with backoff"
        case .network:
            method == "response_url" ? "Slack could not be reached: check the network"
                : "Slack could not be reached: check the network and SLACK_API_URL"
        default:
            switch error {
            case "expired_url", "used_url":
                "the slash command's response_url expired (after 30 minutes) or was used 5 times: that answer was dropped"
            case "missing_scope":
                "the app lacks a scope: add it under OAuth & Permissions and reinstall the app"
            default:
                "Slack refused the request as sent (see Slack's documentation of \(method))"
            }
        }
    }
}

extension JSONEncoder {
    fileprivate static var iso8601: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
