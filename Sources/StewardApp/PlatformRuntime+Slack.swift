import Foundation
import Hummingbird
import SlackAdapter
import StewardCore
import StewardHTTP
import StewardServer

/// Slack's part of the runtime: Events API routes when a signing secret is set, a Socket Mode loop when an
/// app token is set (both may run at once; duplicates are dropped by event id).
struct SlackParts {
    let configuration: Configuration
    let client: HTTPSlackClient
    let channel: SlackDeliveryChannel
    /// A slash command's answer ready in time rides in its HTTP acknowledgement (receiver ↔ channel).
    let replies = SlackCommandReplies()

    init(token: String, configuration: Configuration, http: AsyncHTTPTransport) {
        self.configuration = configuration
        client = HTTPSlackClient(token: token, baseURL: configuration.slackAPIURL, transport: http.measured(as: "slack"))
        channel = SlackDeliveryChannel(client: client, replies: replies)
    }

    func start(_ services: Services, into started: inout PlatformRuntime.Started) async throws {
        // Kept in the store so `/status` names the last Slack error (and what to do about it).
        await client.health.persist(to: services.store)
        let me = try await client.authTest()
        let normalizer = SlackNormalizer(botUserID: me.userID)
        var modes: [String] = []
        if let secret = configuration.slackSigningSecret {
            let receiver = SlackHTTPReceiver(verifier: SlackSignatureVerifier(signingSecret: secret),
                                             normalizer: normalizer, sink: services.processor, replies: replies)
            started.routes.append { $0.addSlackRoutes(receiver: receiver) }
            modes.append("events API")
        }
        if let appToken = configuration.slackAppToken {
            let socket = SlackSocketModeSource(client: client, appToken: appToken, normalizer: normalizer,
                                               sink: services.processor)
            started.services.append(LoopService { try await socket.run() })
            modes.append("socket mode")
        }
        started.names.append("slack (\(modes.joined(separator: ", ")))")
    }
}
