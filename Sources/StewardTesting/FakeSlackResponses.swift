import Foundation

/// One answer an app POSTed to a slash command's `response_url`, as the fake accepted it.
public struct FakeSlackResponse: Sendable, Equatable {
    /// The last path component of the URL: `{fake}/response/<id>`.
    public var id: String
    /// `ephemeral` (Slack's default when omitted) or `in_channel`.
    public var responseType: String
    public var text: String
    public var blocks: FakeJSON?
    /// Whether the request carried an `Authorization` header (it needs none: the URL is the credential).
    public var hadAuthorization: Bool
    public var at: Date
}

/// The fake's `response_url`s, written from Slack's "Responding to slash commands": a POST with a JSON
/// body (`Content-type: application/json`) holding `text` and/or `blocks`, optionally `response_type`
/// (`ephemeral` | `in_channel`), `replace_original`, `delete_original`, `thread_ts`, `mrkdwn`,
/// `attachments`. A URL works up to 5 times within 30 minutes. Anything else is refused:
/// a body that is not a JSON object or has undocumented fields → 400 `invalid_payload`; neither text
/// nor blocks → 400 `no_text`; bad blocks → 400 `invalid_blocks`; a 6th use → 404 `used_url`; after
/// 30 minutes (or `expire`) → 404 `expired_url`. Success is 200 `{"ok": true}`.
public actor FakeSlackResponses {
    public static let maximumUses = 5
    public static let lifetime: TimeInterval = 30 * 60

    static let documentedFields: Set<String> = ["text", "blocks", "attachments", "response_type", "replace_original",
                                                "delete_original", "thread_ts", "mrkdwn"]

    private var accepted: [FakeSlackResponse] = []
    private var firstSeen: [String: Date] = [:]
    private var uses: [String: Int] = [:]
    private var expired: Set<String> = []
    /// Every refusal, as (id, error), so tests can assert the app never sent a malformed answer.
    public private(set) var refusals: [(id: String, error: String)] = []

    public init() {}

    // MARK: Test API

    /// Accepted answers for `id` (or all of them), oldest first.
    public func responses(for id: String? = nil) -> [FakeSlackResponse] {
        id.map { id in accepted.filter { $0.id == id } } ?? accepted
    }

    /// Makes `id` answer `expired_url` from now on, as after 30 minutes.
    public func expire(_ id: String) { expired.insert(id) }

    // MARK: The endpoint

    /// Handles `POST /response/<id>`; returns the HTTP status and JSON body.
    func handle(id: String, contentType: String, hasAuthorization: Bool, body: Data, at now: Date = Date()) -> (Int, FakeJSON) {
        func refuse(_ status: Int, _ error: String) -> (Int, FakeJSON) {
            refusals.append((id, error))
            return (status, ["ok": false, "error": .string(error)])
        }
        let issued = firstSeen[id] ?? now
        firstSeen[id] = issued
        if expired.contains(id) || now.timeIntervalSince(issued) > Self.lifetime { return refuse(404, "expired_url") }
        guard uses[id, default: 0] < Self.maximumUses else { return refuse(404, "used_url") }
        guard contentType.lowercased().hasPrefix("application/json"), case .object(let fields)? = FakeJSON.parse(body),
              Set(fields.keys).isSubset(of: Self.documentedFields) else { return refuse(400, "invalid_payload") }
        let responseType = fields["response_type"]?.stringValue ?? "ephemeral"
        guard ["ephemeral", "in_channel"].contains(responseType) else { return refuse(400, "invalid_payload") }
        let text = fields["text"]?.stringValue ?? ""
        let blocks = fields["blocks"]?.arrayValue
        guard !text.isEmpty || !(blocks ?? []).isEmpty else { return refuse(400, "no_text") }
        if let blocks, FakeSlackState.invalidBlocks(blocks) != nil { return refuse(400, "invalid_blocks") }
        uses[id, default: 0] += 1
        accepted.append(FakeSlackResponse(id: id, responseType: responseType, text: text, blocks: blocks.map(FakeJSON.array),
                                          hadAuthorization: hasAuthorization, at: now))
        return (200, ["ok": true])
    }
}
