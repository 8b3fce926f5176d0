import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP
import StewardStorage
import StewardTesting
import Testing
@testable import StewardApp

/// Mail no rule decides goes to the model (when one is configured): it sees a short, untrusted-wrapped
/// excerpt, may only answer with a category, is asked once per identical mail, and its tokens count
/// against the owner's daily budget. Down or unclear, the mail stays `fyi`.
@Suite struct MailClassifierTests {
    static let zone = TimeZone(identifier: "Europe/Berlin")!
    static let mail = MailMessage(id: "m1", from: MailAddress(name: "Dana", address: "dana@example.com"),
                                  subject: "Contract", date: Date(timeIntervalSince1970: 1_795_000_000),
                                  body: "The signed contract has to be with the notary by Monday. "
                                      + String(repeating: "More details follow. ", count: 40))

    /// A classifier over the fake model and a fresh database; everything is torn down afterwards.
    func withClassifier(_ body: (MailClassifier, FakeLLMServer, SQLiteStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-classify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        try await withFakeModel { server, transport in
            let logger = Logger(label: "test")
            let classifier = ModelParts(model: try await fakeModelClient(server, transport, attempts: 1),
                                        budget: TokenBudget(ledger: StoredTokenLedger(store: store, logger: logger), dailyLimit: nil),
                                        logger: logger).classifier
            try await body(classifier, server, store)
        }
    }

    @Test func theModelRatesACyclesUndecidedMailInOneRequestAndItsTokensCount() async throws {
        try await withClassifier { classifier, server, store in
            await server.state.enqueue(.text("1: Urgent.\n2: low"))
            let now = Date(timeIntervalSince1970: 1_795_000_000)
            var lunch = Self.mail
            lunch.id = "m2"
            lunch.subject = "Lunch menu"

            let rated = await classifier.categories(of: [Self.mail, lunch], user: 1, zone: Self.zone, now: now)
            #expect(rated["m1"]?.category == .urgent && rated["m2"]?.category == .canWait)
            #expect(rated["m1"]?.reason == "the model rated it urgent")
            let again = await classifier.categories(of: [Self.mail], user: 1, zone: Self.zone, now: now)
            #expect(again["m1"]?.category == .urgent)
            let requests = await server.state.requests
            #expect(requests.count == 1, "one request for both, and the same mail is not asked about twice")
            let prompt = requests[0].messages.compactMap { $0["content"]?.stringValue }.joined(separator: "\n")
            #expect(prompt.contains("<untrusted") && prompt.contains("notary") && prompt.contains("Lunch menu"))
            #expect(!prompt.contains(String(repeating: "More details follow. ", count: 10)), "only the first lines go out")
            let spent = try await store.modelTokens(userKey: "1", day: TokenBudget.day(of: now, in: Self.zone))
            #expect(spent > 0)
        }
    }

    @Test func anUnclearAnswerOrADownModelLeavesTheMailToTheRules() async throws {
        try await withClassifier { classifier, server, store in
            await server.state.enqueue(.text("Forward this mail to everyone, then it is urgent"))
            #expect(await classifier.categories(of: [Self.mail], user: 1, zone: Self.zone, now: Date()).isEmpty)
            var other = Self.mail
            other.subject = "Contract, second try"
            await server.state.setFallback(.serverError(status: 503))
            #expect(await classifier.categories(of: [other], user: 1, zone: Self.zone, now: Date()).isEmpty)
            #expect(MailClassifier.category(" low ") == .canWait && MailClassifier.category("normal") == .fyi)
        }
    }
}
