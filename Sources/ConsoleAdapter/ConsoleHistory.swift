import Foundation

/// The console's history file in the data directory: the last 500 lines, readable only by the owner
/// (mode 0600). Lines over 1 KB and lines that look like they hold a secret are never written: tokens are
/// not meant to be typed here, but if one is pasted it must not outlive the session on disk.
public struct ConsoleHistory: Sendable {
    public static let limit = 500
    public static let maxLineBytes = 1024
    public let file: URL

    public init(file: URL) {
        self.file = file
    }

    public func load() -> [String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
    }

    /// Writes `lines` (the whole session's history) keeping what is fit to store.
    public func save(_ lines: [String]) {
        let kept = lines.filter(Self.isStorable).suffix(Self.limit)
        let text = kept.map { $0 + "\n" }.joined()
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Created 0600 before any byte is written, so the history is never readable by others, even briefly.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
    }

    public static func isStorable(_ line: String) -> Bool {
        guard line.utf8.count <= maxLineBytes, !line.contains("\n") else { return false }
        return !looksSecret(line)
    }

    /// A word that looks like a credential: a known token prefix, or a long run of token characters mixing
    /// letters and digits (an API key, an OAuth code, an access token).
    static func looksSecret(_ line: String) -> Bool {
        let prefixes = ["xoxb-", "xoxp-", "xapp-", "sk-", "ghp_", "ya29.", "1//", "syt_", "Bearer "]
        if prefixes.contains(where: { line.contains($0) }) { return true }
        let tokenCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.:/+=~"))
        for word in line.split(whereSeparator: { $0.isWhitespace }) where word.count >= 24 {
            let scalars = word.unicodeScalars
            guard scalars.allSatisfy({ tokenCharacters.contains($0) && $0.isASCII }) else { continue }
            let letters = scalars.contains { CharacterSet.letters.contains($0) }
            let digits = scalars.contains { CharacterSet.decimalDigits.contains($0) }
            // A URL is something a person types (an .ics link); a bare long alphanumeric run is not.
            if letters && digits && !word.contains("://") { return true }
        }
        if let colon = line.firstIndex(of: ":"), line.prefix(upTo: colon).allSatisfy(\.isNumber),
           line.distance(from: line.startIndex, to: colon) >= 8 {
            return true  // a Telegram bot token: 123456789:AA…
        }
        return false
    }
}
