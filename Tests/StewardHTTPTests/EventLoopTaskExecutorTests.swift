import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import StewardHTTP
import Testing

/// Tasks that prefer `EventLoopTaskExecutor` run on the HTTP client's event loops, all the way through:
/// after being resumed from another thread (as a timer or a callback resumes them), an actor hop, child
/// tasks and an HTTP request, which is what saves the thread hand-offs.
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

    /// Suspends until a thread that is not a loop (Dispatch's, where timers fire) resumes the task.
    static func resumedFromAnotherThread() async {
        await withCheckedContinuation { continuation in DispatchQueue.global().async { continuation.resume() } }
    }

    @Test func aPreferringTaskStaysOnTheLoopsThroughResumesActorsChildrenAndRequests() async throws {
        let router = Router()
        router.get("ok") { _, _ in "ok" }
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        #expect(await Task { Self.onALoop }.value == false, "the default pool is not the loops")
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/ok"))
            let places = await Task(executorPreference: EventLoopTaskExecutor()) {
                var places = [Self.onALoop]
                await Self.resumedFromAnotherThread()
                places.append(Self.onALoop)
                places.append(await Tally().add())
                places.append(Self.onALoop)
                async let child = Self.onALoop
                places.append(await child)
                let answer = try? await transport.send(HTTPRequestSpec(url: url, timeout: .seconds(30)))
                places.append(Self.onALoop)
                return (places, answer?.status)
            }.value
            #expect(places.1 == 200)
            #expect(places.0 == Array(repeating: true, count: 6), "\(places.0)")
        }
        try await transport.shutdown()
    }

    /// Many tasks at once, each hopping through a shared actor, some resumed from another thread: all
    /// finish, none is lost.
    @Test func aThousandTasksOnTheLoopsAllFinish() async throws {
        let counter = Tally()
        let executor = EventLoopTaskExecutor()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<1_000 {
                group.addTask(executorPreference: executor) {
                    // Some are resumed from another thread, the rest go straight on: both paths onto the loops.
                    if index % 10 == 0 { await Self.resumedFromAnotherThread() }
                    _ = await counter.add()
                }
            }
        }
        #expect(await counter.value == 1_000)
    }
}
