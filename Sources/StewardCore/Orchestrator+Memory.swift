import Foundation

extension Orchestrator {
    /// `/remember`, `/memory`, `/forget`, with only the memory's own dependencies; nil without a store.
    var memoryHandler: MemoryHandler? { memory.map { MemoryHandler(memory: $0, now: now) } }

    /// The memory intents. A remembered preference that maps to a setting is offered as that setting's
    /// change card after the fact is stored (the fact stands whether or not the card is approved).
    func performMemory(_ intent: Intent, event: InboundEvent, user: User, settings: UserSettings,
                       reply: inout Reply) async throws {
        guard let handler = memoryHandler else {
            reply.say("Memory isn't available in this version yet, so nothing was stored.")
            return
        }
        switch intent {
        case .remember(let text):
            if let proposal = try await handler.remember(text, user: user, settings: settings, reply: &reply) {
                try await requestSettingChange(proposal, event: event, user: user, settings: settings, reply: &reply)
            }
        case .memory(let query):
            try await handler.list(query: query, user: user, settings: settings, reply: &reply)
        case .forget(let id):
            try await handler.forget(id, user: user, reply: &reply)
        default:
            return
        }
    }
}
