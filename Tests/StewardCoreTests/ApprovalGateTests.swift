import Foundation
import Testing
@testable import StewardCore

/// The approval gate with only its own dependencies (approvals, the audit log, a digest and a clock): a
/// card's choices come from its record, one decision retires the rest, and only one choice ever runs.
@Suite struct ApprovalGateTests {
    static let dm = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let event = InboundEvent(id: "e1", sender: ChatIdentity(platform: .telegram, userID: "100"), chat: dm,
                                    kind: .message(""), receivedAt: CoreWorld.now)

    actor Runs {
        private(set) var ran: [String] = []
        func run(_ request: ApprovalRequest) -> String {
            ran.append(request.id)
            return "Added"
        }
    }

    @Test func takingTheDontNotifyChoiceRetiresApproveAndRejectAndRunsOnce() async throws {
        let store = MemoryStore()
        let gate = ApprovalGate(approvals: store, audit: store, digest: { String($0.hashValue, radix: 16) },
                                now: { CoreWorld.now }, lifetime: 3600)
        let booking = CreateEventArguments(account: "ics:1", calendar: nil, uid: "u1", title: "Planning",
                                           start: CoreWorld.now.addingTimeInterval(3600),
                                           end: CoreWorld.now.addingTimeInterval(7200), timeZone: TimeZone(identifier: "UTC")!,
                                           attendees: ["ana@example.com"], notify: true)
        var reply = Reply(event: Self.event)
        try await gate.offer(booking, id: "0123456789ab", summary: "Planning\nAttendees will be notified",
                             actor: "telegram:100", user: 1, reply: &reply)
        let sent = try #require(reply.deliveries.first { $0.key == "approval-card:0123456789ab" })
        #expect(sent.afterSend == .recordCardMessage(cardID: "0123456789ab"))
        guard case .send(_, let message) = sent.delivery else {
            Issue.record("expected the card to be sent")
            return
        }
        #expect(message.buttons.map(\.title) == ["Approve", "Approve, don't notify", "Reject"])
        // Every button's token is `s1:<approval-id>:<a|r>`, and none is the lead's id with a letter added.
        let tokens = message.buttons.compactMap { ButtonToken(parsing: $0.token) }
        #expect(tokens.count == 3)
        #expect(!tokens.contains { $0.approvalID.hasPrefix("0123456789ab") && $0.approvalID.count > 12 })

        let quiet = try #require(try await store.approval(id: tokens[1].approvalID))
        #expect(quiet.choice == .approveQuietly)
        let payload = try JSONDecoder().decode(CreateEventArguments.self, from: quiet.payload)
        #expect(payload.notify == false)
        let runs = Runs()
        let taken = try await gate.decide(quiet, approve: true, actor: "telegram:100",
                                          execute: { await runs.run($0) }, discardDraft: { _ in "" })
        #expect(taken.changed && taken.notice == "Added")
        let lead = try #require(try await store.approval(id: "0123456789ab"))
        #expect(lead.state == .rejected && lead.outcome == "Superseded")
        // A late tap on Approve or Reject of the same card does nothing.
        for approve in [true, false] {
            let late = try await gate.decide(lead, approve: approve, actor: "telegram:100",
                                             execute: { await runs.run($0) }, discardDraft: { _ in "" })
            #expect(!late.changed)
        }
        #expect(await runs.ran == [quiet.id])
    }
}
