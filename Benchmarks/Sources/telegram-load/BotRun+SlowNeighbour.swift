import Foundation
import LoadSupport
import StewardTesting

/// `--slow-neighbour S`: the latency phase once more, while one other user waits S seconds for the model.
/// Steward promises that one person's slow model run delays nobody else: these numbers should match the
/// plain latency phase's.
extension BotRun {
    /// Someone outside the paced users, whose free text goes to the (slow) model.
    var slowNeighbour: FakeTelegramUser { FakeTelegramUser(id: Int64(users.count + 1), firstName: "Slow") }

    func latencyBesideSlowModel(_ slowSeconds: Double, model: FakeLLMServer) async throws -> Distribution {
        await model.state.enqueue(.slow(.seconds(slowSeconds), .text("Here is your plan.")))
        await model.state.setFallback(.text("ok"))
        await server.state.forgetHistory()
        let started = clock.now
        _ = await server.sendText("please plan my whole quarter around the offsite", from: slowNeighbour)
        while await model.state.requests.isEmpty {
            guard bot?.isRunning ?? false else { throw LoadError("slow neighbour: the bot exited") }
            guard clock.now - started < .seconds(30) else { throw LoadError("slow neighbour: the model was never asked") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let count = max(1, Int(options.rate * min(options.seconds, slowSeconds * 0.8)))
        nextUser = 0
        let paced = try await feed(count, rate: options.rate)
        try await waitForReplies(count, phase: "slow neighbour")
        let modelAnswered = await server.state.sentMessages(chat: slowNeighbour.id)
            .contains { $0.text.contains("Here is your plan") }
        let outcomes = await collect(paced)
        writeCSV(outcomes, phase: "slow-neighbour")
        let latency = Distribution(outcomes.compactMap { outcome in
            outcome.servedAt.flatMap { served in outcome.firstReply.map { $0.timeIntervalSince(served) } }
        })
        log("latency at \(format(rate: options.rate)) updates/s (\(count) updates) while another user's model run takes "
            + "\(format(duration: slowSeconds)): served → reply \(latency.summary)"
            + (modelAnswered ? " (the model had already answered: make --seconds shorter)" : ""))
        return latency
    }
}
