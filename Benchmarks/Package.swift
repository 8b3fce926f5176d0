// swift-tools-version: 6.0
import PackageDescription

// A package of its own so the main build and CI never compile or resolve it.
// Run: swift run -c release --package-path Benchmarks steward-bench
// (with STEWARD_CORE_ONLY=1 the main package resolves only swift-log; see README.md).
let package = Package(
    name: "StewardBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named explicitly: a path dependency's identity is otherwise its directory name, which differs
        // between checkouts.
        .package(name: "Steward", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "steward-bench",
            dependencies: [
                .product(name: "StewardCore", package: "Steward"),
                .product(name: "ICalendar", package: "Steward"),
                .product(name: "MailProvider", package: "Steward"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// LoadSupport: what the load tools share — the bot in a child process, `/proc` samples, signals, a free port,
// percentiles and formatting. Foundation only.
package.targets.append(.target(name: "LoadSupport"))

// telegram-load drives a bot binary through the fake Telegram server of `StewardTesting`, and slack-bench
// measures the Slack adapter; both need the full dependency set, so with STEWARD_CORE_ONLY=1
// (steward-bench's fast path) they are left out. Run telegram-load through `Benchmarks/telegram-load.sh`
// (see README.md).
if Context.environment["STEWARD_CORE_ONLY"] == nil {
    package.targets.append(.executableTarget(
        name: "telegram-load",
        dependencies: ["LoadSupport", .product(name: "StewardTesting", package: "Steward")]
    ))
    // telegram-floor: Steward's HTTP stack and Telegram client answering like the echo bot, and nothing else:
    // the floor under Steward's cost per update, as telegram-load's baseline (`--echo PATH`). See README.md.
    package.targets.append(.executableTarget(
        name: "telegram-floor",
        dependencies: [
            .product(name: "TelegramAdapter", package: "Steward"),
            .product(name: "StewardHTTP", package: "Steward"),
            .product(name: "StewardCore", package: "Steward"),
        ]
    ))
    // memory-prompt: the prompt tokens memory adds to a planner request for a person with 10,000 facts.
    // Run: swift run --package-path Benchmarks memory-prompt
    package.targets.append(.executableTarget(
        name: "memory-prompt",
        dependencies: [
            .product(name: "LLMPlanner", package: "Steward"),
            .product(name: "StewardStorage", package: "Steward"),
            .product(name: "StewardCore", package: "Steward"),
        ]
    ))
    // memory-bench: memory search (FTS5, bm25) over 10,000 facts in a real SQLite file.
    // Run: swift run -c release --package-path Benchmarks memory-bench
    package.targets.append(.executableTarget(
        name: "memory-bench",
        dependencies: [
            .product(name: "StewardStorage", package: "Steward"),
            .product(name: "StewardCore", package: "Steward"),
        ]
    ))
    // slack-bench: Slack's verify + normalize path, with payloads signed by StewardTesting's FakeSlackSigner.
    // Run: swift run -c release --package-path Benchmarks slack-bench
    package.targets.append(.executableTarget(
        name: "slack-bench",
        dependencies: [
            .product(name: "SlackAdapter", package: "Steward"),
            .product(name: "StewardCore", package: "Steward"),
            .product(name: "StewardTesting", package: "Steward"),
        ]
    ))
    // slack-load: the real steward binary fed signed Events API DMs over HTTP, answering into the fake
    // Slack Web API; CPU per event, events per CPU-second, latency. Run: see README.md ("slack-load").
    package.targets.append(.executableTarget(
        name: "slack-load",
        dependencies: [
            "LoadSupport",
            .product(name: "SlackAdapter", package: "Steward"),
            .product(name: "StewardTesting", package: "Steward"),
        ]
    ))
    // matrix-load: the real steward binary on the real test Synapse (scripts/matrix-test-server.sh), users'
    // DMs answered over /sync; CPU and context switches per message, latency, Synapse's CPU beside it.
    // It registers through Synapse's own register_new_matrix_user. Run: see README.md.
    package.targets.append(.executableTarget(
        name: "matrix-load",
        dependencies: ["LoadSupport", .product(name: "StewardTesting", package: "Steward")]
    ))
}
