import Foundation
import Logging
@testable import StewardApp
import StewardRuntime
import StewardCore
import StewardStorage
import StewardTesting
import Testing

/// A model that answers the owner only when the test says so, and everyone else at once.
final class GatedPlanner: FreeTextPlanner, Sendable {
    let slowUser: User.ID
    private let state = Locked<(started: Bool, released: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, false, []))

    init(slowUser: User.ID) { self.slowUser = slowUser }

    var started: Bool { state.withLock { $0.started } }

    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
              progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan {
        if user.id == slowUser {
            await withCheckedContinuation { continuation in
                let go = state.withLock { state in
                    state.started = true
                    if !state.released { state.waiters.append(continuation) }
                    return state.released
                }
                if go { continuation.resume() }
            }
        }
        return FreeTextPlan(outcome: .answered, text: "model answer for \(user.displayName)")
    }
}

/// Waits until it is cancelled, like a model that never answers.
struct SilentPlanner: FreeTextPlanner {
    let cancelled = Locked(false)

    func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
              progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan {
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        cancelled.withLock { $0 = true }
        return FreeTextPlan(outcome: .answered, text: "finished after all")
    }
}

@Suite struct FairServiceTests {
    static let friendDM = ChatRef(platform: .telegram, chatID: "200", isPrivate: true)

    func answers(in chat: ChatRef, _ store: SQLiteStore) async throws -> [String] {
        try await store.pending(platform: .telegram, limit: 50_000, excludingQueues: []).filter { $0.delivery.chat == chat }
            .compactMap { if case .send(_, let message) = $0.delivery { message.plainText } else { nil } }
    }

    /// The owner's model run hangs; meanwhile the friend's /today is answered, and the owner's own later
    /// message still waits its turn behind the first (each sender's order holds).
    @Test func oneSendersSlowModelRunDelaysNobodyElse() async throws {
        var world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let planner = GatedPlanner(slowUser: 1)
        world.orchestrator = world.orchestrator(freeTextPlanner: planner)
        let processor = InboundProcessor(inbound: world.store, orchestrator: world.orchestrator, presence: [:],
                                         delivered: {}, logger: Logger(label: "test"))
        let running = Task { await processor.run() }
        defer { running.cancel() }

        try await processor.accept([world.event(.message("what should I wear to the gala"), id: "owner-1"),
                                    world.event(.command(name: "settings", arguments: "buffer 20m"), id: "owner-2")])
        try await waitUntil { planner.started }
        try await processor.accept([world.event(.command(name: "today", arguments: ""), from: World.friend,
                                                in: Self.friendDM, id: "friend-1")])
        try await waitUntil { (try? await answers(in: Self.friendDM, world.store).isEmpty) == false }
        #expect(try await answers(in: World.ownerDM, world.store).isEmpty, "the owner's answers wait for the model")

        planner.release()
        try await waitUntil { (try? await answers(in: World.ownerDM, world.store).count) == 2 }
        #expect(try await answers(in: World.ownerDM, world.store)
            == ["model answer for 100", "Saved: buffer 20m"])
    }

    /// A model run past its deadline is stopped: one clear line, nothing changed, the run cancelled.
    @Test func aModelRunPastItsDeadlineEndsWithOneClearLine() async throws {
        let silent = SilentPlanner()
        let planner = PlannerDeadline(silent, deadline: .milliseconds(200))
        let plan = await planner.plan("plan my year", user: User(id: 1, displayName: "Ada", role: .owner),
                                      settings: UserSettings(timeZone: "UTC"),
                                      chat: ChatRef(platform: .telegram, chatID: "1", isPrivate: true))
        #expect(plan.outcome == .answered)
        #expect(plan.text?.hasPrefix("The model took longer than 0.2 seconds, so I stopped it.") == true)
        #expect(plan.text?.contains("Nothing was changed") == true)
        #expect(plan.bookings.isEmpty && plan.changes.isEmpty && plan.replies.isEmpty && plan.archives.isEmpty)
        try await waitUntil { silent.cancelled.withLock { $0 } }
    }

    /// 3,000 strangers write at once, then the owner asks for today: the owner is answered while most
    /// strangers still wait, and strangers get at most 20 refusals a minute between them.
    @Test func aFloodOfStrangersNeverHoldsUpTheOwner() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let processor = InboundProcessor(inbound: world.store, orchestrator: world.orchestrator, presence: [:],
                                         delivered: {}, logger: Logger(label: "test"))
        let strangers = (1...3_000).map { number in
            world.event(.message("hello"), from: ChatIdentity(platform: .telegram, userID: "9\(number)"),
                        in: ChatRef(platform: .telegram, chatID: "9\(number)", isPrivate: true), id: "stranger-\(number)")
        }
        try await processor.accept(strangers)
        try await processor.accept([world.event(.command(name: "today", arguments: ""), id: "owner-today")])
        let running = Task { await processor.run() }
        defer { running.cancel() }

        try await waitUntil { (try? await answers(in: World.ownerDM, world.store).isEmpty) == false }
        let unanswered = try await world.store.unprocessed(limit: 5_000).count
        #expect(unanswered > 1_000, "the owner waited for \(3_000 - unanswered) strangers")

        try await waitUntil(timeout: .seconds(120)) { (try? await world.store.unprocessed(limit: 10).isEmpty) == true }
        let refusals = try await world.store.pending(platform: .telegram, limit: 50_000, excludingQueues: [])
            .filter { $0.delivery.chat?.chatID.hasPrefix("9") == true }
        #expect(refusals.count == SQLiteStore.refusalsPerMinute)
    }
}
