import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real Synapse that `scripts/matrix-test-server.sh start` runs for the tests (URL and registration
/// secret in `.build-matrix/synapse.env`). Tests that need it fail — never skip — when it isn't running.
public struct Synapse: Sendable {
    public let url: URL
    let sharedSecret: String

    public struct NotRunning: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the running server's address; throws `NotRunning` (a failure, not a skip) when it isn't there.
    public static func running(filePath: String = #filePath) async throws -> Synapse {
        var root = URL(fileURLWithPath: filePath)
        while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let file = root.appendingPathComponent(".build-matrix/synapse.env")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw NotRunning(description: "no Synapse for the Matrix tests: run `scripts/matrix-test-server.sh start` "
                             + "(scripts/test.sh does) — \(file.path) is missing")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let address = values["MATRIX_TEST_HOMESERVER_URL"], let url = URL(string: address),
              let secret = values["MATRIX_TEST_SHARED_SECRET"] else {
            throw NotRunning(description: "\(file.path) lacks MATRIX_TEST_HOMESERVER_URL or MATRIX_TEST_SHARED_SECRET")
        }
        let synapse = Synapse(url: url, sharedSecret: secret)
        do {
            _ = try await synapse.request("GET", "/health", token: nil, raw: true)
        } catch {
            throw NotRunning(description: "Synapse at \(url) does not answer /health (\(error)): run `scripts/matrix-test-server.sh start`")
        }
        return synapse
    }

    /// Registers a fresh user through the shared-secret admin API (a random suffix keeps tests apart).
    /// Test users get their rate limits lifted unless `limited`; Steward's own account keeps them.
    public func register(_ name: String, admin: Bool = false, limited: Bool = false) async throws -> MatrixTestUser {
        let username = "\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        let nonce = try await request("GET", "/_synapse/admin/v1/register", token: nil)["nonce"] as? String ?? ""
        let message = [nonce, username, password, admin ? "admin" : "notadmin"].joined(separator: "\0")
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(sharedSecret.utf8)))
        let answer = try await request("POST", "/_synapse/admin/v1/register", token: nil, body: [
            "nonce": nonce, "username": username, "password": password, "admin": admin,
            "mac": mac.map { String(format: "%02x", $0) }.joined(),
        ])
        guard let token = answer["access_token"] as? String, let userID = answer["user_id"] as? String else {
            throw SynapseError(description: "registration answered \(answer)")
        }
        let user = MatrixTestUser(synapse: self, userID: userID, password: password, accessToken: token)
        if !limited {
            let admin = try await Self.admin(of: self)
            _ = try await request("POST", "/_synapse/admin/v1/users/\(Self.encode(userID))/override_ratelimit",
                                  token: admin.accessToken, body: ["messages_per_second": 0, "burst_count": 0])
        }
        return user
    }

    private static let adminUser = AdminCache()

    private static func admin(of synapse: Synapse) async throws -> MatrixTestUser {
        if let admin = await adminUser.user { return admin }
        let admin = try await synapse.register("admin", admin: true, limited: true)
        await adminUser.set(admin)
        return admin
    }

    /// One JSON request; returns the answer's top-level object. Throws on any status but 2xx.
    @discardableResult
    func request(_ method: String, _ path: String, token: String?, body: [String: Any]? = nil,
                 raw: Bool = false) async throws -> [String: Any] {
        let target = path.hasPrefix("/_") || path == "/health" ? path : "/_matrix/client/v3" + path
        var request = URLRequest(url: URL(string: url.absoluteString + target)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if method != "GET" {
            request.httpBody = Data("{}".utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw SynapseError(description: "\(method) \(path) → \(status): \(String(decoding: data.prefix(500), as: UTF8.self))",
                               status: status)
        }
        if raw { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

public struct SynapseError: Error, CustomStringConvertible {
    public let description: String
    public var status = 0
}

private actor AdminCache {
    var user: MatrixTestUser?
    func set(_ user: MatrixTestUser) { self.user = user }
}
