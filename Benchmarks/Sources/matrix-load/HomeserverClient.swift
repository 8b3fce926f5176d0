import Foundation
import LoadSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The running test Synapse (`scripts/matrix-test-server.sh start`): its URL, registration secret and pid.
struct Homeserver: Sendable {
    let url: String
    let secret: String
    let pid: Int32?
    /// `.venv-matrix/bin/register_new_matrix_user`: registers through the shared secret (HMAC-SHA1), which
    /// Foundation alone can't compute on Linux.
    let registerTool: String

    static func load(root: URL) throws -> Homeserver {
        let env = root.appendingPathComponent(".build-matrix/synapse.env")
        guard let text = try? String(contentsOf: env, encoding: .utf8) else {
            throw LoadError("no \(env.path): run `scripts/matrix-test-server.sh start` first")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let url = values["MATRIX_TEST_HOMESERVER_URL"], let secret = values["MATRIX_TEST_SHARED_SECRET"] else {
            throw LoadError("\(env.path) lacks MATRIX_TEST_HOMESERVER_URL or MATRIX_TEST_SHARED_SECRET")
        }
        let pidText = try? String(contentsOf: root.appendingPathComponent(".build-matrix/homeserver.pid"), encoding: .utf8)
        return Homeserver(url: url, secret: secret, pid: pidText.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
                          registerTool: root.appendingPathComponent(".venv-matrix/bin/register_new_matrix_user").path)
    }

    /// Registers `name` (unique per run) and logs in; returns the user id and access token.
    func register(_ name: String, admin: Bool = false) async throws -> Account {
        let password = "pw-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: registerTool)
        process.arguments = ["-u", name, "-p", password, "-k", secret, admin ? "-a" : "--no-admin", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LoadError("register_new_matrix_user \(name) failed") }
        let answer = try await request("POST", "/_matrix/client/v3/login", token: nil, body: [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": name], "password": password,
        ])
        guard let token = answer["access_token"] as? String, let userID = answer["user_id"] as? String else {
            throw LoadError("login of \(name) answered \(answer)")
        }
        return Account(server: self, userID: userID, token: token)
    }

    /// One JSON request; the answer's top-level object. Throws on any status but 2xx.
    @discardableResult
    func request(_ method: String, _ path: String, token: String?, body: [String: Any]? = nil,
                 timeout: TimeInterval = 30) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw LoadError("\(method) \(path.prefix(80)) → \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A registered user acting through the Client-Server API.
struct Account: Sendable {
    let server: Homeserver
    let userID: String
    let token: String

    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: TimeInterval = 30) async throws -> [String: Any] {
        try await server.request(method, "/_matrix/client/v3" + path, token: token, body: body, timeout: timeout)
    }

    /// Lifts `user`'s message rate limit (this account must be an admin).
    func liftRateLimit(of user: String) async throws {
        try await server.request("POST", "/_synapse/admin/v1/users/\(Homeserver.encode(user))/override_ratelimit",
                                 token: token, body: ["messages_per_second": 0, "burst_count": 0])
    }

    func createDirectChat(with other: String) async throws -> String {
        let answer = try await call("POST", "/createRoom", ["preset": "trusted_private_chat", "is_direct": true, "invite": [other]])
        guard let room = answer["room_id"] as? String else { throw LoadError("createRoom answered \(answer)") }
        return room
    }

    func joinedMembers(of roomID: String) async throws -> [String] {
        let answer = try await call("GET", "/rooms/\(Homeserver.encode(roomID))/joined_members")
        return (answer["joined"] as? [String: Any]).map { Array($0.keys) } ?? []
    }

    /// Retried with the same txnId when Synapse is slow to answer: still one message.
    func say(_ text: String, in roomID: String, txn: String) async throws {
        for attempt in 1...3 {
            do {
                try await call("PUT", "/rooms/\(Homeserver.encode(roomID))/send/m.room.message/\(txn)",
                               ["msgtype": "m.text", "body": text], timeout: 60)
                return
            } catch where attempt < 3 {
                continue
            }
        }
    }

    /// One `/sync`: messages only, no presence, typing or receipts.
    func sync(since: String?, timeoutMilliseconds: Int) async throws -> [String: Any] {
        let filter = #"{"presence":{"types":[]},"account_data":{"types":[]},"room":{"timeline":{"types":["m.room.message"],"limit":100},"#
            + #""state":{"types":[]},"ephemeral":{"types":[]},"account_data":{"types":[]}}}"#
        var path = "/sync?timeout=\(timeoutMilliseconds)&filter=\(Homeserver.encode(filter))"
        if let since { path += "&since=\(Homeserver.encode(since))" }
        return try await call("GET", path, timeout: Double(timeoutMilliseconds) / 1000 + 30)
    }
}
