import Foundation
import Logging
import StewardCore

/// An HTTP answer for the Slack routes: status, content type and body.
public struct SlackHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var body: Data

    public init(status: Int, contentType: String? = nil, body: Data = Data()) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static let unauthorized = SlackHTTPResponse(status: 401)
    static let badRequest = SlackHTTPResponse(status: 400)
    static let ok = SlackHTTPResponse(status: 200)
    static let storageFailed = SlackHTTPResponse(status: 500)

    static func json(_ message: SlackResponseMessage) -> SlackHTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(message)) ?? Data("{}".utf8)
        return .init(status: 200, contentType: "application/json", body: body)
    }
}

/// The Events API, interactivity and slash-command endpoints without the HTTP server, so each is a
/// plain function to test. Guarantees, for every endpoint:
/// - a missing, forged or stale signature is 401 and *nothing* is parsed or stored;
/// - a body Slack could never have sent is 400;
/// - an event for Steward is stored through the sink *before* 200 is returned; a storage failure is
///   500, so Slack retries (with the same `event_id`, which the sink drops if it did get stored);
/// - a retried delivery (`X-Slack-Retry-Num`) is handled like the first: the sink keeps it once.
public struct SlackHTTPReceiver: Sendable {
    public static let retryNumHeader = "X-Slack-Retry-Num"
    /// What a slash command's user sees at once when the answer is not ready; it follows via `response_url`.
    public static let workingOnIt = "Working on it…"

    private let verifier: SlackSignatureVerifier
    private let normalizer: SlackNormalizer
    private let sink: any InboundSink
    private let replies: SlackCommandReplies?
    private let answerWithin: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - replies: shared with the delivery channel, so an answer ready within `answerWithin` of the
    ///     command's arrival is the acknowledgement itself; nil acknowledges every command at once.
    ///   - answerWithin: how long a command's acknowledgement may wait for its answer; Slack allows 3 s
    ///     for the whole round trip.
    public init(verifier: SlackSignatureVerifier, normalizer: SlackNormalizer, sink: any InboundSink,
                replies: SlackCommandReplies? = nil, answerWithin: Duration = .seconds(2),
                logger: Logger = Logger(label: "steward.slack.http")) {
        self.verifier = verifier
        self.normalizer = normalizer
        self.sink = sink
        self.replies = replies
        self.answerWithin = answerWithin
        self.logger = logger
    }

    /// `POST /slack/events`: `url_verification` is answered with its challenge (plain text, as
    /// Slack's docs show); `event_callback`s are stored.
    public func events(headers: [String: String], body: Data) async -> SlackHTTPResponse {
        guard verified(headers, body, endpoint: "events") else { return .unauthorized }
        let envelope: SlackEventEnvelope
        do { envelope = try JSONDecoder().decode(SlackEventEnvelope.self, from: body) } catch {
            logger.warning("Slack events body is not an Events API payload", metadata: ["bytes": "\(body.count)"])
            return .badRequest
        }
        if envelope.type == "url_verification" {
            guard let challenge = envelope.challenge else { return .badRequest }
            return SlackHTTPResponse(status: 200, contentType: "text/plain", body: Data(challenge.utf8))
        }
        if let retry = Self.header(Self.retryNumHeader, in: headers) {
            logger.debug("Slack retried an event", metadata: ["event": "\(envelope.eventID ?? "?")", "retry": "\(retry)"])
        }
        return await store(normalizer.normalize(envelope), or: .ok)
    }

    /// `POST /slack/interactive`: a form with one field, `payload`, holding the JSON (button taps).
    public func interactive(headers: [String: String], body: Data) async -> SlackHTTPResponse {
        guard verified(headers, body, endpoint: "interactive") else { return .unauthorized }
        guard let payload = SlackForm.parse(body)["payload"],
              let interaction = try? JSONDecoder().decode(SlackInteraction.self, from: Data(payload.utf8)) else {
            logger.warning("Slack interactivity body has no readable payload", metadata: ["bytes": "\(body.count)"])
            return .badRequest
        }
        return await store(normalizer.normalize(interaction), or: .ok)
    }

    /// `POST /slack/commands`: acknowledged within Slack's 3 seconds once the command is stored. When
    /// the answer is ready within `answerWithin`, it is the acknowledgement (ephemeral); otherwise the
    /// acknowledgement is an ephemeral "Working on it…" and the answer follows through `response_url`.
    public func commands(headers: [String: String], body: Data) async -> SlackHTTPResponse {
        let deadline = ContinuousClock.now + answerWithin
        guard verified(headers, body, endpoint: "commands") else { return .unauthorized }
        guard let command = SlackSlashCommand(fields: SlackForm.parse(body)) else {
            logger.warning("Slack command body lacks command, user_id or channel_id")
            return .badRequest
        }
        guard let event = normalizer.normalize(command) else { return .ok }
        let route = event.replyRoute
        // Open before storing: the answer may be ready before `store` returns.
        if let replies, let route { await replies.open(route) }
        let stored = await store(event, or: .ok)
        guard stored.status == 200 else {
            if let replies, let route { await replies.close(route) }
            // Slack does not retry commands; tell the user rather than show Slack's generic failure.
            return .json(SlackResponseMessage(text: "Steward could not take that just now. Please try again."))
        }
        if let replies, let route, let answer = await replies.answer(for: route, until: deadline) {
            return .json(answer)
        }
        return .json(SlackResponseMessage(text: Self.workingOnIt))
    }

    private func store(_ event: InboundEvent?, or success: SlackHTTPResponse) async -> SlackHTTPResponse {
        guard let event else { return success }
        do {
            try await sink.accept([event])
            return success
        } catch {
            logger.error("could not store a Slack event; Slack will retry it", metadata: ["event": "\(event.id)", "error": "\(error)"])
            return .storageFailed
        }
    }

    private func verified(_ headers: [String: String], _ body: Data, endpoint: String) -> Bool {
        do {
            try verifier.verify(signature: Self.header(SlackSignatureVerifier.signatureHeader, in: headers),
                                timestamp: Self.header(SlackSignatureVerifier.timestampHeader, in: headers), body: body)
            return true
        } catch {
            logger.warning("Slack request refused", metadata: ["endpoint": "\(endpoint)", "reason": "\(error)"])
            return false
        }
    }

    /// Header names compare case-insensitively, as HTTP requires. The server hands names over lowercased
    /// (swift-http-types' canonical form), so `name` never matched exactly and every lookup — the retry
    /// header's, absent from nearly every request, included — scanned with Foundation's
    /// `caseInsensitiveCompare`; the scan is now a byte compare, and only for names in neither form.
    static func header(_ name: String, in headers: [String: String]) -> String? {
        if let exact = headers[name] { return exact }
        let lowered = name.lowercased()
        if let canonical = headers[lowered] { return canonical }
        return headers.first { sameASCIILetters($0.key, lowered) }?.value
    }

    /// `key` equals the lowercased `lowered`, ignoring ASCII case (header names are ASCII tokens).
    private static func sameASCIILetters(_ key: String, _ lowered: String) -> Bool {
        guard key.utf8.count == lowered.utf8.count else { return false }
        return zip(key.utf8, lowered.utf8).allSatisfy { a, b in
            (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b
        }
    }
}
