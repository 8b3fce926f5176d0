import Foundation
import SlackAdapter
import StewardCore
import StewardTesting

// slack-bench: what Steward does with each request Slack sends before anything is stored — verify the
// `v0` signature over the raw body, decode it, normalize it to an `InboundEvent` — for Events API
// `event_callback`s (DMs) and interactivity `block_actions` (button taps).
//
//   swift run -c release --package-path Benchmarks slack-bench [--quick] [--count N]
//
// Payloads are built and signed up front with `FakeSlackSigner` (the shapes the tests send), N of each
// kind, every one distinct (text, user, channel, ids). Three lines per kind:
// - `verify`: `SlackSignatureVerifier.verify` (HMAC-SHA256 over `v0:{ts}:{body}`, constant-time compare);
// - `normalize`: decoding the body (JSON; for taps the form field `payload` first) and `SlackNormalizer`;
// - `receiver`: `SlackHTTPReceiver.events` / `.interactive` with a sink that keeps nothing: the whole
//   route minus HTTP and storage (header lookup, verify, decode, normalize, the async hop to the sink).
// Each operation is timed alone with `ContinuousClock`; ops/s is N ÷ the sum of the timings.

let arguments = Array(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
let count = arguments.firstIndex(of: "--count").flatMap { Int(arguments[$0 + 1]) } ?? (quick ? 2_000 : 20_000)
let secret = "8f742231b10e8888abcd99yyyzzz85a5"
let signer = FakeSlackSigner(signingSecret: secret)
let verifier = SlackSignatureVerifier(signingSecret: secret)
let normalizer = SlackNormalizer(botUserID: "UBOTSTEWARD")

struct DroppingSink: InboundSink {
    func accept(_ events: [InboundEvent]) async throws {}
}

let receiver = SlackHTTPReceiver(verifier: verifier, normalizer: normalizer, sink: DroppingSink())

/// Durations of single operations, in seconds.
struct Timings {
    var samples: [Double] = []

    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        samples.append(seconds(ContinuousClock.now - start))
        return result
    }

    mutating func time<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        let result = try await body()
        samples.append(seconds(ContinuousClock.now - start))
        return result
    }

    func line(_ name: String) -> String {
        let sorted = samples.sorted()
        func percentile(_ fraction: Double) -> Double { sorted[min(sorted.count - 1, Int(fraction * Double(sorted.count)))] }
        let total = samples.reduce(0, +)
        return String(format: "%@: %.0f ops/s, mean %.2f µs/op, p50 %.2f µs, p99 %.2f µs (%d ops)",
                      name, Double(samples.count) / total, total / Double(samples.count) * 1e6,
                      percentile(0.5) * 1e6, percentile(0.99) * 1e6, samples.count)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Fails loudly: a benchmark that silently stopped doing the work would report nonsense.
func require(_ condition: Bool, _ message: String) {
    if !condition {
        print("slack-bench: \(message)")
        exit(1)
    }
}

// MARK: Payloads

let now = Date()
let events = (0..<count).map { index in
    signer.event(FakeSlackSigner.directMessage("what's on tomorrow? #\(index) <https://example.com/\(index)|agenda> & more",
                                               from: "U\(100_000 + index % 500)", channel: "D\(100_000 + index % 500)",
                                               eventID: "Ev\(index)"), at: now)
}
let taps = (0..<count).map { index in
    signer.interaction(FakeSlackSigner.blockActions(value: "s1:\(String(index, radix: 16).padding(toLength: 12, withPad: "0", startingAt: 0)):a",
                                                    user: "U\(100_000 + index % 500)", channel: "D\(100_000 + index % 500)",
                                                    messageTS: "1700000000.\(100_000 + index)", triggerID: "\(index).1"), at: now)
}
let averageEvent = events.map(\.body.count).reduce(0, +) / count
let averageTap = taps.map(\.body.count).reduce(0, +) / count
print("slack-bench: \(count) event_callback bodies (~\(averageEvent) B) and \(count) block_actions bodies (~\(averageTap) B)")

// MARK: Measurements

func header(_ request: FakeSlackSignedRequest, _ name: String) -> String? {
    request.headers.first { $0.name == name }?.value
}

func verifyAll(_ requests: [FakeSlackSignedRequest]) -> Timings {
    var timings = Timings()
    for request in requests {
        let valid = timings.time {
            verifier.isValid(signature: header(request, SlackSignatureVerifier.signatureHeader),
                             timestamp: header(request, SlackSignatureVerifier.timestampHeader), body: request.body)
        }
        require(valid, "a signed body did not verify")
    }
    return timings
}

func normalizeEvents() -> Timings {
    var timings = Timings()
    for request in events {
        let event = timings.time { () -> InboundEvent? in
            guard let envelope = try? JSONDecoder().decode(SlackEventEnvelope.self, from: request.body) else { return nil }
            return normalizer.normalize(envelope, receivedAt: now)
        }
        require(event?.kind.isMessage == true, "an event_callback did not become a message")
    }
    return timings
}

func normalizeTaps() -> Timings {
    var timings = Timings()
    for request in taps {
        let event = timings.time { () -> InboundEvent? in
            guard let payload = SlackForm.parse(request.body)["payload"],
                  let interaction = try? JSONDecoder().decode(SlackInteraction.self, from: Data(payload.utf8)) else { return nil }
            return normalizer.normalize(interaction, receivedAt: now)
        }
        require(event?.kind.isAction == true, "a block_actions payload did not become an action")
    }
    return timings
}

func receive(_ requests: [FakeSlackSignedRequest], interactive: Bool) async -> Timings {
    var timings = Timings()
    for request in requests {
        let headers = request.headerDictionary
        let response = await timings.time {
            interactive ? await receiver.interactive(headers: headers, body: request.body)
                : await receiver.events(headers: headers, body: request.body)
        }
        require(response.status == 200, "the receiver answered \(response.status)")
    }
    return timings
}

/// CPU time this process has used so far, all threads (issue 19 counts cost per message in CPU, not wall time).
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// "event_callback receiver: 12,000 events per CPU-second (…)": the whole loop's process CPU time.
func perCPUSecond(_ count: Int, _ noun: String, since start: Double, name: String) -> String {
    let cpu = processCPUSeconds() - start
    return String(format: "%@: %.0f %@ per CPU-second (process CPU time over all %d, %.1f µs each)",
                  name, Double(count) / cpu, noun, count, cpu / Double(count) * 1e6)
}

extension InboundEvent.Kind {
    var isMessage: Bool { if case .message = self { true } else { false } }
    var isAction: Bool { if case .action = self { true } else { false } }
}

// A warm-up pass over a tenth of each kind, untimed in the results.
_ = verifyAll(Array(events.prefix(count / 10)))
_ = await receive(Array(taps.prefix(count / 10)), interactive: true)

print(verifyAll(events).line("event_callback verify"))
print(normalizeEvents().line("event_callback decode + normalize"))
let eventsCPU = processCPUSeconds()
print(await receive(events, interactive: false).line("event_callback receiver (verify + decode + normalize)"))
print(perCPUSecond(events.count, "events", since: eventsCPU, name: "event_callback receiver"))
print(verifyAll(taps).line("block_actions verify"))
print(normalizeTaps().line("block_actions form + decode + normalize"))
let tapsCPU = processCPUSeconds()
print(await receive(taps, interactive: true).line("block_actions receiver (verify + decode + normalize)"))
print(perCPUSecond(taps.count, "taps", since: tapsCPU, name: "block_actions receiver"))
