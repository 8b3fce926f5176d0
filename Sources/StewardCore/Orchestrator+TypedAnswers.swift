import Foundation

/// A message that only makes sense as the answer to a card: a bare number (where a card's choices are
/// numbered) or a bare "yes".
enum TypedAnswer: Equatable {
    case choice(Int)
    case yes

    private static let yesWords: Set<String> = ["yes", "y", "yep", "yeah", "yes please"]

    init?(_ text: String) {
        let word = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).lowercased()
        if word.count <= 3, !word.isEmpty, word.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(word) {
            self = .choice(number)
        } else if Self.yesWords.contains(word) {
            self = .yes
        } else {
            return nil
        }
    }
}

extension Orchestrator {
    static let nothingWaiting = "Nothing is waiting for your answer."

    /// The user's cards that can still be answered (pending and unexpired), oldest first; a request
    /// that is only a card's second button or an Edit is not a card of its own.
    func waitingCards(of user: User.ID) async throws -> [ApprovalRequest] {
        try await approvals.pending(of: user)
            .filter { now() < $0.expiresAt && !Self.isQuietTwin($0) && $0.toolName != EditReplyArguments.toolName }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// A bare number or "yes". Only a waiting card of this user is ever answered: a number typed after
    /// the card was decided, expired, or belongs to someone else says that nothing is waiting.
    func answerTyped(_ answer: TypedAnswer, event: InboundEvent, user: User, reply: inout Reply) async throws {
        switch answer {
        case .yes:
            try await decideByText(approvalID: nil, approve: true, user: user, reply: &reply)
        case .choice(let number):
            guard let latest = try await waitingCards(of: user.id).last else { return reply.say(Self.nothingWaiting) }
            // Only a platform that numbers a card's choices takes a number; elsewhere it would be a guess at a button.
            guard reply.channel.choices == .numbered else {
                return reply.say("Tap a button on the card, or type approve or reject.")
            }
            let buttons = try await choices(of: latest)
            guard buttons.indices.contains(number - 1) else {
                return reply.say("That card's choices are 1 to \(buttons.count).")
            }
            try await handleButton(token: buttons[number - 1].token, event: event, user: user, reply: &reply)
        }
    }

    /// The buttons of the card `request` was shown on, in the order the card showed them.
    private func choices(of request: ApprovalRequest) async throws -> [Button] {
        Self.card(for: request, on: try await storedCard(of: request)).buttons
    }
}
