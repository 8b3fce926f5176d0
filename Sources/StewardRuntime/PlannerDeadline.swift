import Foundation
import StewardCore

/// Gives every model run an overall deadline. A run still going when it passes is cancelled and the
/// person gets one clear line; since the planner only proposes (changes become approval cards after it
/// returns), a run cut short has changed nothing.
public struct PlannerDeadline: FreeTextPlanner {
    let planner: any FreeTextPlanner
    let deadline: Duration

    public static let defaultDeadline: Duration = .seconds(90)

    public init(_ planner: any FreeTextPlanner, deadline: Duration = PlannerDeadline.defaultDeadline) {
        self.planner = planner
        self.deadline = deadline
    }

    public func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
              progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan {
        let race = Race<FreeTextPlan>()
        let run = TaskPlace.task {
            let plan = await planner.plan(text, user: user, settings: settings, chat: chat, progress: progress)
            race.finish(plan)
        }
        let timer = TaskPlace.task { [deadline] in
            try? await Task.sleep(for: deadline)
            if !Task.isCancelled { race.finish(Self.tooSlow(deadline)) }
        }
        let plan = await withTaskCancellationHandler {
            await race.value
        } onCancel: {
            run.cancel()
            race.finish(FreeTextPlan(outcome: .answered, text: nil))
        }
        // Whichever came second is no longer wanted; a model run past its deadline must not go on paying
        // for tokens nobody will read.
        run.cancel()
        timer.cancel()
        return plan
    }

    public func statusLine(for user: User, settings: UserSettings) async -> String? {
        await planner.statusLine(for: user, settings: settings)
    }

    static func tooSlow(_ deadline: Duration) -> FreeTextPlan {
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
        return FreeTextPlan(outcome: .answered, text: "The model took longer than \(String(format: "%g", seconds)) "
                            + "seconds, so I stopped it. Nothing was changed. Please try again, or use a command such as /today.")
    }
}

/// The first of several results; later ones are ignored. Waiting after the first has arrived returns it.
final class Race<Value: Sendable>: Sendable {
    private let state = Locked<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    func finish(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: value) }
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Value? in
                    if let value = state.value { return value }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
