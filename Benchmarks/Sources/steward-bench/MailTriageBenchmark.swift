import Foundation
import MailProvider
import StewardCore

/// Rules triage over the mail corpus of `Tests/Fixtures/mail` (34 messages, every category), parsed once
/// and repeated: the cost of one triage run per new message, without the model.
struct MailTriageBenchmark {
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/mail")

    /// The parts of `expected.json` the benchmark needs: each file and the Gmail labels it arrives with.
    struct Manifest: Decodable {
        struct Entry: Decodable {
            var file: String
            var labels: [String]?
        }
        var vips: [String]
        var keywords: [String]
        var knownCorrespondents: [String]
        var messages: [Entry]
    }

    func loadCorpus() -> (MailTriage, [MailMessage])? {
        guard let data = try? Data(contentsOf: Self.corpusDirectory.appendingPathComponent("expected.json")),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        let messages = manifest.messages.compactMap { entry -> MailMessage? in
            guard let raw = try? Data(contentsOf: Self.corpusDirectory.appendingPathComponent(entry.file)) else { return nil }
            return MailParser.parse(raw, id: entry.file, labels: entry.labels ?? [])
        }
        let triage = MailTriage(vips: manifest.vips, keywords: manifest.keywords,
                                knownCorrespondents: Set(manifest.knownCorrespondents))
        return (triage, messages)
    }

    func run(scale: Double) -> BenchmarkResult {
        guard let (triage, corpus) = loadCorpus(), !corpus.isEmpty else {
            return BenchmarkResult(name: "triage: corpus not found at \(Self.corpusDirectory.path)", median: .seconds(1),
                                   p90: .seconds(1), target: .microseconds(50))
        }
        let batch = (0..<(3_400 / corpus.count)).flatMap { _ in corpus }
        var result = measure(name: "triage: rules over the mail corpus (\(corpus.count) messages x \(batch.count / corpus.count))",
                             target: .microseconds(50), warmUp: 3, iterations: Int(100 * scale), perSample: batch.count,
                             unit: " per message") {
            batch.reduce(0) { $0 &+ triage.triage($1).reason.utf8.count }
        }
        let perSecond = 1 / result.median.seconds
        result.note = String(format: "%.0f messages/s, target >= 20,000/s", perSecond)
        return result
    }
}
