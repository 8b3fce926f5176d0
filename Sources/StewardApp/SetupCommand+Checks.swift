import Foundation
import MatrixAdapter
import SlackAdapter
import StewardHTTP
import TelegramAdapter

/// The live checks behind setup: each token is tried on its platform (Telegram `getMe`, Slack `auth.test`,
/// Matrix `/account/whoami`) at the configured base URL, so a self-hosted server, a proxy or a test fake
/// answers just like the real one. The answer is who the token belongs to, or why it was refused.
final class SetupChecks: Sendable {
    private let http = AsyncHTTPTransport(connectTimeout: .seconds(10))

    func telegram(token: String, baseURL: URL) async -> Result<String, SetupProblem> {
        let client = HTTPTelegramClient(token: token, baseURL: baseURL, transport: http, defaultTimeout: .seconds(15))
        do {
            let me = try await client.getMe()
            return .success("@\(me.username ?? me.firstName)")
        } catch {
            return .failure(SetupProblem("Telegram refused the token or could not be reached (\(DoctorChecks.describe(error)))"))
        }
    }

    func slack(token: String, baseURL: URL) async -> Result<String, SetupProblem> {
        let client = HTTPSlackClient(token: token, baseURL: baseURL, transport: http, timeout: .seconds(15))
        do {
            let auth = try await client.authTest()
            return .success("\(auth.user ?? auth.userID) in \(auth.team ?? auth.teamID ?? "your workspace")")
        } catch {
            return .failure(SetupProblem("Slack refused the token or could not be reached (\(DoctorChecks.describe(error)))"))
        }
    }

    func matrix(token: String, homeserver: URL) async -> Result<String, SetupProblem> {
        let client = HTTPMatrixClient(homeserver: homeserver, accessToken: token, transport: http,
                                  defaultTimeout: .seconds(15))
        do {
            return .success(try await client.whoami().userID)
        } catch {
            return .failure(SetupProblem("the homeserver refused the token or could not be reached (\(DoctorChecks.describe(error)))"))
        }
    }

    func shutdown() async {
        try? await http.shutdown()
    }
}

struct SetupProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
