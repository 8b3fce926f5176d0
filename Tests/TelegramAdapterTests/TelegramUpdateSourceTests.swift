import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

@Suite("TelegramUpdateSource: long polling that loses nothing and never stalls")
struct TelegramUpdateSourceTests {
    /// Short timeouts and backoffs so a test takes a second or two, not minutes.
    static func configuration(pollTimeout: Int = 1) -> TelegramUpdateSource.Configuration {
        .init(pollTimeoutSeconds: pollTimeout, requestTimeoutMargin: .seconds(10),
              backoff: RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200)))
    }

    /// Runs a source against the harness's fake while `body` runs, then stops it.
    static func polling<T: Sendable>(_ h: FakeTelegramHarness, sink: InMemoryInboundSink, state: InMemoryStateRepository,
                                     configuration: TelegramUpdateSource.Configuration = configuration(),
                                     _ body: (TelegramUpdateSource) async throws -> T) async throws -> T {
        let source = TelegramUpdateSource(client: h.client, normalizer: h.normalizer, sink: sink, state: state,
                                          configuration: configuration)
        let task = Task { try await source.run() }
        defer { task.cancel() }
        let result = try await body(source)
        task.cancel()
        _ = await task.result
        return result
    }

    @Test func theOffsetMovesOnlyAfterTheSinkStoredTheBatch() async throws {
        try await FakeTelegramHarness.run { h in
            let sink = InMemoryInboundSink()
            let state = InMemoryStateRepository()
            await sink.failNext(2)
            let first = await h.state.sendText("hello", from: People.alice).updateID
            await h.state.sendText("/today", from: People.alice)
            let last = await h.state.sendText("/week", from: People.alice).updateID

            try await Self.polling(h, sink: sink, state: state) { _ in
                let events = await sink.waitForEvents(3)
                #expect(events.map(\.kind) == [.message("hello"), .command(name: "today", arguments: ""),
                                               .command(name: "week", arguments: "")])
                #expect(await eventually { await state.writes(of: TelegramUpdateSource.offsetKey).last == String(last + 1) })
                #expect(await eventually { await h.state.requests(method: "getUpdates").contains { $0.parameters["offset"] == .int(last + 1) } },
                        "the next poll confirms the batch")
            }
            #expect(await sink.acceptCalls >= 3, "two refused batches, then the stored one")
            #expect(await sink.duplicates == 0)
            #expect(await state.writes(of: TelegramUpdateSource.offsetKey) == [String(last + 1)],
                    "no offset was written while the sink refused")
            let offsets = await h.state.requests(method: "getUpdates").map { $0.parameters["offset"] }
            #expect(offsets.prefix(3).allSatisfy { $0 == nil }, "the refused batch was fetched again from the same place")
            #expect(offsets.contains(.int(last + 1)))
            #expect(first < last)
            let allowed = await h.state.requests(method: "getUpdates").first?.parameters["allowed_updates"]
            #expect(allowed == ["message", "callback_query"])
        }
    }

    @Test func updatesNotForStewardStillMoveTheOffset() async throws {
        try await FakeTelegramHarness.run { h in
            let sink = InMemoryInboundSink()
            let state = InMemoryStateRepository()
            let chatter = await h.state.sendText("lunch anyone?", from: People.bob, in: People.team).updateID
            try await Self.polling(h, sink: sink, state: state) { _ in
                let stored = try await eventually { try await state.value(TelegramUpdateSource.offsetKey) == String(chatter + 1) }
                #expect(stored)
            }
            #expect(await sink.events.isEmpty)
            #expect(await sink.acceptCalls == 0, "nothing to store, nothing handed over")
        }
    }

    @Test func aRestartContinuesFromTheStoredOffsetWithoutDuplicates() async throws {
        try await FakeTelegramHarness.run { h in
            let state = InMemoryStateRepository()
            let firstSink = InMemoryInboundSink()
            await h.state.sendText("one", from: People.alice)
            try await Self.polling(h, sink: firstSink, state: state) { _ in
                _ = await firstSink.waitForEvents(1)
                let stored = try await eventually { try await state.value(TelegramUpdateSource.offsetKey) != nil }
                #expect(stored)
            }
            await h.state.sendText("two", from: People.alice)
            let secondSink = InMemoryInboundSink()
            try await Self.polling(h, sink: secondSink, state: state) { _ in
                _ = await secondSink.waitForEvents(1)
            }
            #expect(await secondSink.events.map(\.kind) == [.message("two")])
        }
    }

    @Test func itRecoversFromServerErrorsAndDroppedConnections() async throws {
        try await FakeTelegramHarness.run { h in
            let sink = InMemoryInboundSink()
            let state = InMemoryStateRepository()
            await h.state.injectFault(.serverError(status: 500), times: 2, method: "getUpdates")
            await h.state.injectFault(.dropConnection, times: 1, method: "getUpdates")
            await h.state.injectFault(.tooManyRequests(retryAfter: 1), times: 1, method: "getUpdates")
            await h.state.sendText("still there?", from: People.alice)
            try await Self.polling(h, sink: sink, state: state) { source in
                let events = await sink.waitForEvents(1)
                #expect(events.map(\.kind) == [.message("still there?")])
                #expect(await source.lastSuccessfulPoll != nil)
                let stored = try await eventually { try await state.value(TelegramUpdateSource.lastPollKey) != nil }
                #expect(stored)
            }
            let statuses = await h.state.requests(method: "getUpdates").map(\.status)
            #expect(Array(statuses.prefix(4)) == [500, 500, 0, 429])
            let stamp = try #require(try await state.value(TelegramUpdateSource.lastPollKey))
            #expect(try Date(stamp, strategy: .iso8601) <= Date())
        }
    }

    @Test func theWatchdogRestartsAStalledPoll() async throws {
        try await FakeTelegramHarness.run { h in
            let sink = InMemoryInboundSink()
            let state = InMemoryStateRepository()
            // The first poll hangs far longer than 2 × the 1 s poll timeout and than its own 61 s deadline,
            // so only the watchdog can end it; the wide gap keeps the order clear on a loaded machine.
            await h.state.injectFault(.delay(.seconds(120)), times: 1, method: "getUpdates")
            await h.state.sendText("are you stuck?", from: People.alice)
            let clock = ContinuousClock()
            let start = clock.now
            let configuration = TelegramUpdateSource.Configuration(
                pollTimeoutSeconds: 1, requestTimeoutMargin: .seconds(60),
                backoff: RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200)))
            try await Self.polling(h, sink: sink, state: state, configuration: configuration) { source in
                let events = await sink.waitForEvents(1, timeout: .seconds(45))
                #expect(events.map(\.kind) == [.message("are you stuck?")])
                #expect(await source.watchdogRestarts >= 1)
            }
            let elapsed = clock.now - start
            #expect(elapsed >= .seconds(2), "restarted only after twice the poll timeout")
            #expect(elapsed < .seconds(45), "not after the request's own deadline")
        }
    }

    @Test func aConflictIsRetriedUntilTheWebhookIsGone() async throws {
        try await FakeTelegramHarness.run { h in
            let sink = InMemoryInboundSink()
            let state = InMemoryStateRepository()
            try await h.client.setWebhook(.init(url: "https://example.org/hook", secretToken: nil, allowedUpdates: nil))
            await h.state.sendText("queued while the webhook was set", from: People.alice)
            try await Self.polling(h, sink: sink, state: state) { _ in
                #expect(await eventually { await h.state.requests(method: "getUpdates").contains { $0.status == 409 } })
                try await h.client.deleteWebhook(dropPendingUpdates: false)
                let events = await sink.waitForEvents(1)
                #expect(events.map(\.kind) == [.message("queued while the webhook was set")])
            }
        }
    }
}
