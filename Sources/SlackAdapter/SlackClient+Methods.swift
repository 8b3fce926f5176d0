import Foundation

/// The typed Web API methods Steward uses, each one line over `call`.
extension SlackClient {
    public func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body
    ) async throws -> Result {
        try await call(method, body, token: nil)
    }

    /// Who the bot is; `user_id` lets the normalizer ignore the bot's own messages.
    public func authTest() async throws -> SlackAuthTestResponse {
        try await call("auth.test", SlackEmptyRequest())
    }

    public func postMessage(_ request: SlackPostMessageRequest) async throws -> SlackMessageResponse {
        try await call("chat.postMessage", request)
    }

    public func update(_ request: SlackUpdateRequest) async throws -> SlackMessageResponse {
        try await call("chat.update", request)
    }

    public func postEphemeral(_ request: SlackPostEphemeralRequest) async throws -> SlackEphemeralResponse {
        try await call("chat.postEphemeral", request)
    }

    /// Opens (or finds) the DM with `userID`; returns its `D…` channel id.
    public func openConversation(userID: String) async throws -> String {
        let response: SlackOpenConversationResponse = try await call("conversations.open", SlackOpenConversationRequest(users: userID))
        return response.channel.id
    }

    /// A fresh Socket Mode URL; needs the app-level token (`xapp-…`), not the bot token.
    public func openSocketConnection(appToken: String) async throws -> String {
        let response: SlackConnectionResponse = try await call("apps.connections.open", SlackEmptyRequest(), token: appToken)
        return response.url
    }
}
