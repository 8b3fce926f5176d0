import Foundation

/// Typed Client-Server API v3 endpoints over `MatrixClient.call`.
extension MatrixClient {
    private func enc(_ text: String) -> String { HTTPMatrixClient.encode(text) }

    public func whoami() async throws -> MatrixWhoAmI { try await call("GET", "/account/whoami") }

    public func versions() async throws -> MatrixVersions { try await call("GET", "/_matrix/client/versions") }

    /// Password login; `deviceID` reuses a device Steward had before, so no new device appears.
    public func login(user: String, password: String, deviceID: String?) async throws -> MatrixLogin {
        try await call("POST", "/login", json: LoginBody(identifier: LoginIdentifier(user: user), password: password,
                                                         deviceID: deviceID))
    }

    /// Uploads `filter` (JSON) and returns its id.
    public func createFilter(userID: String, filter: Data) async throws -> String {
        let answer: FilterAnswer = try await call("POST", "/user/\(enc(userID))/filter", query: [], body: filter, timeout: nil)
        return answer.filterID
    }

    public func sync(since: String?, filter: String?, timeoutMilliseconds: Int, requestTimeout: Duration) async throws -> MatrixSyncResponse {
        var query: [(String, String)] = [("timeout", String(timeoutMilliseconds))]
        if let since { query.append(("since", since)) }
        if let filter { query.append(("filter", filter)) }
        return try await call("GET", "/sync", query: query, timeout: requestTimeout)
    }

    /// Older events of a room, newest first, starting at `from` (a timeline's `prev_batch`).
    public func messages(roomID: String, from: String, limit: Int) async throws -> MatrixMessagesPage {
        try await call("GET", "/rooms/\(enc(roomID))/messages", query: [("from", from), ("dir", "b"), ("limit", String(limit))])
    }

    public func join(roomID: String) async throws {
        let _: MatrixEmpty = try await call("POST", "/join/\(enc(roomID))", json: [String: String]())
    }

    public func leave(roomID: String) async throws {
        let _: MatrixEmpty = try await call("POST", "/rooms/\(enc(roomID))/leave", json: [String: String]())
    }

    /// `PUT /rooms/{roomId}/send/{type}/{txnId}`: the same txnId from the same device is one event.
    public func send(roomID: String, type: String, txnID: String, content: Data) async throws -> String {
        let answer: MatrixEventID = try await call("PUT", "/rooms/\(enc(roomID))/send/\(enc(type))/\(enc(txnID))",
                                                   query: [], body: content, timeout: nil)
        return answer.eventID
    }

    public func typing(roomID: String, userID: String, typing: Bool) async throws {
        let _: MatrixEmpty = try await call("PUT", "/rooms/\(enc(roomID))/typing/\(enc(userID))",
                                            json: TypingBody(typing: typing, timeout: 30_000))
    }

    /// The bot's `m.direct` map (user id → DM room ids); empty when it has none yet.
    public func directRooms(userID: String) async throws -> [String: [String]] {
        do {
            return try await call("GET", "/user/\(enc(userID))/account_data/m.direct")
        } catch let error as MatrixError where error.status == 404 {
            return [:]
        }
    }

    public func setDirectRooms(userID: String, _ rooms: [String: [String]]) async throws {
        let _: MatrixEmpty = try await call("PUT", "/user/\(enc(userID))/account_data/m.direct", json: rooms)
    }

    public func joinedRooms() async throws -> [String] {
        let answer: JoinedRoomsAnswer = try await call("GET", "/joined_rooms")
        return answer.joinedRooms
    }

    /// Whether the room has an `m.room.encryption` state event.
    public func isEncrypted(roomID: String) async throws -> Bool {
        do {
            let _: MatrixEmpty = try await call("GET", "/rooms/\(enc(roomID))/state/m.room.encryption/")
            return true
        } catch let error as MatrixError where error.status == 404 {
            return false
        }
    }
}

private struct LoginIdentifier: Encodable { var type = "m.id.user"; let user: String }

private struct LoginBody: Encodable {
    var type = "m.login.password"
    let identifier: LoginIdentifier
    let password: String
    let deviceID: String?
    var initialDeviceDisplayName = "Steward"
    enum CodingKeys: String, CodingKey {
        case type, identifier, password
        case deviceID = "device_id"
        case initialDeviceDisplayName = "initial_device_display_name"
    }
}

private struct FilterAnswer: Decodable, Sendable {
    let filterID: String
    enum CodingKeys: String, CodingKey { case filterID = "filter_id" }
}

private struct TypingBody: Encodable { let typing: Bool; let timeout: Int }

private struct JoinedRoomsAnswer: Decodable, Sendable {
    let joinedRooms: [String]
    enum CodingKeys: String, CodingKey { case joinedRooms = "joined_rooms" }
}
