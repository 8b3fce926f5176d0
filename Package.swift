// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Steward",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "steward", targets: ["steward"]),
        // Libraries so the separate Benchmarks/ package can measure the hot paths.
        .library(name: "StewardCore", targets: ["StewardCore"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
        .library(name: "MailProvider", targets: ["MailProvider"]),
        .library(name: "StewardTesting", targets: ["StewardTesting"]),
        .library(name: "SlackAdapter", targets: ["SlackAdapter"]),
        .library(name: "StewardStorage", targets: ["StewardStorage"]),
        .library(name: "LLMPlanner", targets: ["LLMPlanner"]),
        .library(name: "TelegramAdapter", targets: ["TelegramAdapter"]),
        .library(name: "StewardHTTP", targets: ["StewardHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "StewardCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "StewardStorage", dependencies: [
            "StewardCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "StewardHTTP", dependencies: [
            "StewardCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "ICalendar", dependencies: ["StewardCore"]),
        .target(name: "MailProvider", dependencies: ["StewardCore"]),
        .target(name: "LLMPlanner", dependencies: [
            "StewardCore", "StewardHTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "GoogleWorkspace", dependencies: [
            "StewardCore", "StewardHTTP",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ConsoleAdapter", dependencies: ["StewardCore"]),
        .target(name: "TelegramAdapter", dependencies: [
            "StewardCore", "StewardHTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SlackAdapter", dependencies: [
            "StewardCore", "StewardHTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .target(name: "MatrixAdapter", dependencies: [
            "StewardCore", "StewardHTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "StewardServer", dependencies: [
            "StewardCore", "TelegramAdapter", "SlackAdapter",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // The engine: inbound lanes, the outbox, jobs. Core and its repository protocols only; the
        // composition root in StewardApp hands it the store.
        .target(name: "StewardRuntime", dependencies: [
            "StewardCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "StewardApp", dependencies: [
            "StewardCore", "StewardRuntime", "StewardStorage", "StewardHTTP", "ICalendar", "ConsoleAdapter",
            "TelegramAdapter", "SlackAdapter", "MatrixAdapter", "StewardServer", "GoogleWorkspace", "MailProvider", "LLMPlanner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "steward", dependencies: ["StewardApp"]),
        .target(name: "StewardTesting", dependencies: [
            "StewardCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StewardCoreTests", dependencies: ["StewardCore"]),
        .testTarget(name: "StewardStorageTests", dependencies: [
            "StewardStorage", "StewardCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ICalendarTests", dependencies: ["ICalendar", "StewardCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "MailProviderTests", dependencies: ["MailProvider", "StewardCore"]),
        .testTarget(name: "ConsoleAdapterTests", dependencies: ["ConsoleAdapter"]),
        .testTarget(name: "GoogleWorkspaceTests", dependencies: [
            "GoogleWorkspace", "StewardTesting", "StewardCore", "StewardHTTP",
        ]),
        .testTarget(name: "TelegramAdapterTests", dependencies: [
            "TelegramAdapter", "StewardTesting", "StewardCore", "StewardHTTP", "StewardServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "SlackAdapterTests", dependencies: [
            "SlackAdapter", "StewardTesting", "StewardCore", "StewardHTTP", "StewardServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "MatrixAdapterTests", dependencies: [
            "MatrixAdapter", "StewardTesting", "StewardCore", "StewardHTTP",
        ]),
        .testTarget(name: "StewardHTTPTests", dependencies: [
            "StewardHTTP", "StewardCore", "StewardTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "StewardRuntimeTests", dependencies: [
            "StewardRuntime", "StewardCore", "StewardStorage", "StewardTesting",
        ]),
        .testTarget(name: "StewardAppTests", dependencies: [
            "StewardApp", "StewardRuntime", "StewardCore", "StewardStorage", "LLMPlanner", "StewardTesting", "StewardHTTP", "StewardServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "LLMPlannerTests", dependencies: [
            "LLMPlanner", "StewardTesting", "StewardCore", "StewardHTTP",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["StewardTesting", "StewardCore"]),
        // The whole app built by `buildApplication` in the test process, against the fakes.
        .testTarget(name: "AppEndToEndTests", dependencies: ["StewardApp", "StewardCore", "StewardTesting"]),
    ],
    swiftLanguageModes: [.v6]
)

// `STEWARD_CORE_ONLY=1 swift test --scratch-path .build-core` builds just the I/O-free targets
// (core, ICalendar) and their tests: a fast inner loop that skips the server dependency set.
if Context.environment["STEWARD_CORE_ONLY"] != nil {
    let pure: Set<String> = ["StewardCore", "ICalendar", "MailProvider", "StewardCoreTests", "ICalendarTests",
                             "MailProviderTests", "ConsoleAdapter", "ConsoleAdapterTests"]
    package.targets.removeAll { !pure.contains($0.name) }
    package.products = [
        .library(name: "StewardCore", targets: ["StewardCore"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
        .library(name: "MailProvider", targets: ["MailProvider"]),
    ]
    package.dependencies = [.package(url: "https://github.com/apple/swift-log", from: "1.16.0")]
}
