import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import StewardHTTP
import Testing

/// Tasks that prefer `EventLoopTaskExecutor` run on the HTTP client's event loops, all the way through:
/// after a sleep, an actor hop, child tasks and an HTTP request, which is what saves the thread hand-offs.
@Suite struct EventLoopTaskExecutorTests {
    /// True when the caller runs on one of the shared group's loops (`any()` returns the current loop there).
    static var onALoop: Bool { HTTPClient.defaultEventLoopGroup.any().inEventLoop }

    actor Tally {
        var value = 0
        func add() -> Bool {
            value += 1
            return EventLoopTaskExecutorTests.onALoop
        }
    }

    @Test func aPreferringTaskStaysOnTheLoopsThroughSleepsActorsChildrenAndRequests() async throws {
        let router = Router()
        router.get("ok") { _, _ in "ok" }
        let transport = AsyncHTTPTransport()
        #expect(await Task { Self.onALoop }.value == false, "the default pool is not the loops")
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/ok"))
            let places = await Task(executorPreference: EventLoopTaskExecutor()) {
                var places = [Self.onALoop]
                // The sleep is what is tested here (a timer resumes the task), not a wait for something.
                try? await Task.sleep(for: .milliseconds(5))
                places.append(Self.onALoop)
                places.append(await Tally().add())
                places.append(Self.onALoop)
                async let child = Self.onALoop
                places.append(await child)
                let answer = try? await transport.send(HTTPRequestSpec(url: url, timeout: .seconds(10)))
                places.append(Self.onALoop)
                return (places, answer?.status)
            }.value
            #expect(places.1 == 200)
            #expect(places.0 == Array(repeating: true, count: 6), "\(places.0)")
        }
        try await transport.shutdown()
    }

    /// Many tasks at once, each hopping through a shared actor and sleeping: all finish, none is lost.
    @Test func aThousandTasksOnTheLoopsAllFinish() async throws {
        let counter = Tally()
        let executor = EventLoopTaskExecutor()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<1_000 {
                group.addTask(executorPreference: executor) {
                    // Some resume from a timer, the rest straight away: both paths onto the loops.
                    if index % 10 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
                    _ = await counter.add()
                }
            }
        }
        #expect(await counter.value == 1_000)
    }
}
