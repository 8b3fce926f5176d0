import Foundation

/// A person on the test Synapse, acting through the Client-Server API as their own client would.
public struct MatrixTestUser: Sendable {
    public let synapse: Synapse
    public let userID: String
    public let password: String
    public let accessToken: String

    /// `matrix:@user:localhost`, as written in `STEWARD_OWNERS`.
    public var identity: String { "matrix:\(userID)" }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await synapse.request(method, path, token: accessToken, body: body)
    }

    private func room(_ id: String) -> String { Synapse.encode(id) }

    /// A direct chat with `other` (`is_direct` on the invite), unencrypted unless asked.
    public func createDirectChat(with other: String, encrypted: Bool = false) async throws -> String {
        var body: [String: Any] = ["preset": "trusted_private_chat", "is_direct": true, "invite": [other]]
        if encrypted {
            body["initial_state"] = [["type": "m.room.encryption", "state_key": "", "content": ["algorithm": "m.megolm.v1.aes-sha2"]]]
        }
        return try await call("POST", "/createRoom", body)["room_id"] as? String ?? ""
    }

    /// A room with several people (not direct).
    public func createRoom(name: String, invite: [String]) async throws -> String {
        try await call("POST", "/createRoom", ["preset": "private_chat", "name": name, "invite": invite])["room_id"] as? String ?? ""
    }

    public func invite(_ user: String, to roomID: String) async throws {
        try await call("POST", "/rooms/\(room(roomID))/invite", ["user_id": user])
    }

    public func join(_ roomID: String) async throws {
        try await call("POST", "/join/\(room(roomID))", [:])
    }

    /// Sends text as `m.text`; returns the event id.
    @discardableResult
    public func say(_ text: String, in roomID: String, mentioning: [String]? = nil) async throws -> String {
        var content: [String: Any] = ["msgtype": "m.text", "body": text]
        if let mentioning { content["m.mentions"] = ["user_ids": mentioning] }
        return try await call("PUT", "/rooms/\(room(roomID))/send/m.room.message/t\(UUID().uuidString)", content)["event_id"] as? String ?? ""
    }

    /// Sends any event; returns its id.
    @discardableResult
    public func send(_ type: String, _ content: [String: Any], in roomID: String) async throws -> String {
        try await call("PUT", "/rooms/\(room(roomID))/send/\(type)/t\(UUID().uuidString)", content)["event_id"] as? String ?? ""
    }

    @discardableResult
    public func react(_ key: String, to eventID: String, in roomID: String) async throws -> String {
        try await send("m.reaction", ["m.relates_to": ["rel_type": "m.annotation", "event_id": eventID, "key": key]], in: roomID)
    }

    /// The room's events in order (oldest first), up to the last 500.
    public func events(in roomID: String) async throws -> [MatrixTestEvent] {
        let answer = try await call("GET", "/rooms/\(room(roomID))/messages?dir=b&limit=500")
        let chunk = answer["chunk"] as? [[String: Any]] ?? []
        return chunk.reversed().map(MatrixTestEvent.init)
    }

    /// Who the room shows as typing right now (the `m.typing` ephemeral event of a fresh `/sync`).
    public func typingUsers(in roomID: String) async throws -> [String] {
        // A timeline limit of 1, not 0: Synapse leaves a room with an empty timeline out of the answer. The
        // unique `not_rooms` entry defeats Synapse's cache of identical initial syncs, which would repeat a stale answer.
        let filter = #"{"room":{"rooms":["\#(roomID)"],"not_rooms":["!\#(UUID().uuidString):nowhere"],"timeline":{"limit":1},"#
            + #""ephemeral":{"types":["m.typing"]}}}"#
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = filter.addingPercentEncoding(withAllowedCharacters: allowed) ?? filter
        let answer = try await call("GET", "/sync?timeout=0&filter=\(query)")
        let rooms = (answer["rooms"] as? [String: Any])?["join"] as? [String: Any]
        let events = ((rooms?[roomID] as? [String: Any])?["ephemeral"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
        return events.filter { $0["type"] as? String == "m.typing" }
            .flatMap { ($0["content"] as? [String: Any])?["user_ids"] as? [String] ?? [] }
    }

    /// The user ids joined to the room.
    public func joinedMembers(of roomID: String) async throws -> [String] {
        let answer = try await call("GET", "/rooms/\(room(roomID))/joined_members")
        return (answer["joined"] as? [String: Any]).map { Array($0.keys) } ?? []
    }

    /// Rooms this user is invited to or joined, through a one-off sync.
    public func membership(of user: String, in roomID: String) async throws -> String? {
        let answer = try await call("GET", "/rooms/\(room(roomID))/state/m.room.member/\(Synapse.encode(user))")
        return answer["membership"] as? String
    }

    public func accountData(_ type: String, of user: String) async throws -> [String: Any] {
        try await call("GET", "/user/\(Synapse.encode(user))/account_data/\(type)")
    }

    /// This user's devices.
    public func devices() async throws -> [String] {
        let answer = try await call("GET", "/devices")
        return (answer["devices"] as? [[String: Any]] ?? []).compactMap { $0["device_id"] as? String }
    }
}

/// One event as a test reads it.
public struct MatrixTestEvent: @unchecked Sendable {
    public let eventID: String
    public let type: String
    public let sender: String
    public let content: [String: Any]

    init(_ object: [String: Any]) {
        eventID = object["event_id"] as? String ?? ""
        type = object["type"] as? String ?? ""
        sender = object["sender"] as? String ?? ""
        content = object["content"] as? [String: Any] ?? [:]
    }

    public var body: String { content["body"] as? String ?? "" }
    public var msgtype: String? { content["msgtype"] as? String }
    public var formattedBody: String? { content["formatted_body"] as? String }
    var relation: [String: Any]? { content["m.relates_to"] as? [String: Any] }
    public var relationType: String? { relation?["rel_type"] as? String }
    public var relatedEventID: String? { relation?["event_id"] as? String }
    public var reactionKey: String? { relation?["key"] as? String }
    /// An edit's new text.
    public var newBody: String? { (content["m.new_content"] as? [String: Any])?["body"] as? String }
    /// A message (not an edit, not a reaction).
    public var isMessage: Bool { type == "m.room.message" && relationType != "m.replace" }
}
