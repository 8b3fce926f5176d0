import Foundation
import StewardCore
import StewardRuntime

/// A running plan's progress edits ("6 of 8 done…") go through the outbox at once, ahead of the final
/// outcome, which is queued with the reply when the plan has run.
struct PlanProgressQueue: PlanProgressSink {
    let notifier: HomeChatNotifier

    func show(_ delivery: KeyedDelivery) async {
        // Only a hint: a progress edit that can't be queued costs nothing, the outcome still comes.
        try? await notifier.queue([delivery])
    }
}
