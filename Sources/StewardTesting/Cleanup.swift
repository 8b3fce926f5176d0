/// Runs `body`, then `cleanup` whether `body` returned or threw: an async `defer` for test harnesses
/// that must stop their fake servers and HTTP clients.
public func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
    do {
        let result = try await body()
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}
