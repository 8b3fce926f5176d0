import Foundation
import LLMPlanner
import StewardCore
import StewardStorage

// memory-prompt: the prompt tokens memory adds to a planner request (issue 16's target: at most 400), for a
// person with 10,000 facts in a real SQLite file. Each request goes the planner's way: its search words
// (`PromptBuilder.memoryQuery`), the store's full-text search (FTS5, bm25), the facts that fit the memory
// budget (`PromptBuilder.memoryFacts`), and the tokens of the memory message as the planner estimates them
// when a server reports no usage (`TokenEstimate`: UTF-8 bytes of the request's JSON / 4).
// A count, not a time: a debug build gives the same numbers.
//
//   swift run --package-path Benchmarks memory-prompt [--facts N]

let arguments = Array(CommandLine.arguments.dropFirst())
let factCount = arguments.firstIndex(of: "--facts").flatMap { Int(arguments[$0 + 1]) } ?? 10_000

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

// Facts as people write them: a subject, what about it, and sometimes a long tail.
let subjects = ["My dentist", "The gate code", "My office", "My sister Ana", "Lunch with the team", "The gym",
                "My manager Bob", "The parking spot", "My flight to Lisbon", "The invoice portal", "My doctor",
                "The wifi password", "Our standup", "The quarterly review", "My landlord", "The school run",
                "Meetings with Sarah", "My accountant", "The car", "Calls with the Berlin office"]
let verbs = ["is", "is at", "is on", "moves to", "starts at", "needs", "prefers", "is near", "is with", "is called"]
let objects = ["Dr Brown", "room 40", "level 3", "Elm Street", "Fridays", "9:30", "the blue folder", "platform 7",
               "the Italian place", "Tuesday mornings", "4411", "the shared drive", "noon", "the red door",
               "Bob from finance", "March", "the north entrance", "quiet rooms", "after 10:00", "video, never phone"]
let tails = ["", "", "", " every week", " unless it rains", " since last year", " (ask first)",
             ", and bring the signed contract plus two printed copies of the agenda for everyone in the room",
             "; if that is full, the café across the road with the long tables upstairs works just as well"]

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("memory-prompt-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }
let store = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
let person = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "1000"), displayName: "P",
                                        role: .owner, defaultSettings: UserSettings(timeZone: "Europe/Berlin")).id
var random = SplitMix64(state: 16)
let start = Date(timeIntervalSince1970: 1_780_000_000)
for index in 0..<factCount {
    let text = "\(random.pick(subjects)) \(random.pick(verbs)) \(random.pick(objects))\(random.pick(tails))"
    _ = try await store.saveFact(NewFact(text: text, source: .owner, status: .active), of: person,
                                 at: start.addingTimeInterval(Double(index) * 600))
}

let zone = TimeZone(identifier: "Europe/Berlin")!
let requests = [
    "book lunch with Ana next friday near the office",
    "when should I meet Sarah and Bob next week, and where",
    "what is the wifi password and the gate code",
    "move my dentist appointment to a tuesday morning",
    "plan the quarterly review with the Berlin office, my manager, my accountant and the team: rooms, times, parking",
    "what's on tomorrow",
    "xylophone",
]
var added: [Int] = []
print("memory-prompt: \(factCount) facts of one person, SQLite FTS5; tokens = UTF-8 bytes / 4 (TokenEstimate)")
for request in requests {
    var ranked: [MemoryFact] = []
    if let query = PromptBuilder.memoryQuery(request) { ranked = try await store.searchFacts(query, of: person, limit: 16) }
    let facts = PromptBuilder.memoryFacts(ranked, zone: zone)
    let tokens = PromptBuilder.memoryPromptTokens(facts, zone: zone)
    added.append(tokens)
    print("  \(tokens) tokens, \(facts.count) facts: \"\(request)\"")
}
let sorted = added.sorted()
print("memory-prompt: added prompt tokens median \(sorted[sorted.count / 2]), max \(sorted.last ?? 0) (target ≤ 400)")
if (sorted.last ?? 0) > 400 { exit(1) }
