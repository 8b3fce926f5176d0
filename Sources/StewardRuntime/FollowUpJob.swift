import Foundation
import Logging
import StewardCore

/// The scheduler's follow-up job: finds reminders and no-reply follow-ups that are due and pushes each
/// once to its owner's home chat.
///
/// Exactly once: the push is queued under `follow-up:<id>:<round>` in the same transaction that marks the
/// trigger fired (`FollowUpRepository.fire`), so a crash before it leaves the trigger waiting (the next run
/// fires it) and a crash after it leaves both done (the outbox sends it after the restart). A no-reply
/// follow-up whose thread got its reply settles silently instead, named in `/plans` ("Sarah replied").
///
/// Quiet hours don't hold these back: a reminder is a time the person chose themselves, for themselves,
/// so holding it until morning would break the one promise it makes (the same goes for a reply deadline
/// they named). Quiet hours are for what Steward decides to push on its own, like mail alerts.
public struct FollowUpJob: Sendable {
    let followUps: any FollowUpRepository
    let users: any UserRepository
    let mail: (any FollowUpMail)?
    let notifier: HomeChatNotifier
    let now: @Sendable () -> Date
    let logger: Logger

    /// How long a failing mail check may delay a no-reply push before it goes out saying so.
    public static let mailCheckGrace: TimeInterval = 30 * 60

    public init(followUps: any FollowUpRepository, users: any UserRepository, mail: (any FollowUpMail)?,
                notifier: HomeChatNotifier, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.followUps = followUps
        self.users = users
        self.mail = mail
        self.notifier = notifier
        self.now = now
        self.logger = logger
    }

    /// One pass over what is due; returns how many pushes were queued.
    @discardableResult
    public func run() async throws -> Int {
        let now = now()
        var pushed = 0
        for followUp in try await followUps.due(at: now, limit: 200) {
            do {
                if try await fire(followUp, at: now) { pushed += 1 }
            } catch {
                // One trigger's trouble (a mailbox that fails) never holds the others.
                logger.error("follow-up failed", metadata: ["id": "\(followUp.id)", "error": "\(error)"])
            }
        }
        if pushed > 0 { notifier.wake() }
        return pushed
    }

    private func fire(_ followUp: FollowUp, at now: Date) async throws -> Bool {
        var checkFailed: String?
        if followUp.kind == .noReply, let thread = followUp.thread {
            do {
                if let mail, try await mail.replied(in: thread, of: followUp.userID) {
                    let name = thread.personName.isEmpty ? thread.personAddress : thread.personName
                    _ = try await followUps.transition(followUp.id, from: [.waiting, .snoozed], to: .done, dueAt: nil,
                                                       outcome: "\(name) replied", at: now)
                    return false
                }
                if mail == nil { checkFailed = "mail is not connected any more" }
            } catch {
                // A passing outage: try again on the next runs, then push saying the check failed.
                guard now.timeIntervalSince(followUp.dueAt) >= Self.mailCheckGrace else { return false }
                checkFailed = "\(error)"
            }
        }
        // No home chat (nobody ever wrote from a DM): it stays due and goes out once there is one.
        guard let chat = try await notifier.homeChat(of: followUp.userID) else { return false }
        let settings = try await users.settings(of: followUp.userID)
        let message = FollowUpPush.message(for: followUp, settings: settings, checkFailed: checkFailed)
        return try await followUps.fire(followUp.id, push: KeyedDelivery(key: followUp.pushKey,
                                                                          delivery: .send(chat: chat, message: message)),
                                        at: now)
    }
}
