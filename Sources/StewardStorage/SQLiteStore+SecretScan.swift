import Foundation
import GRDB
import StewardCore

/// `steward doctor`'s look for secrets stored in the clear: tokens, keys and calendar URLs must only ever
/// be in the database sealed. Finds them by shape in the columns that hold configuration-like text.
extension SQLiteStore {
    /// Text columns where a secret could end up by mistake, as `table.column`.
    static let scannedColumns = [
        ("accounts", "options"), ("accounts", "label"), ("pending_authorizations", "authorization"),
        ("state", "value"), ("audit_log", "detail"), ("users", "settings"),
    ]

    /// What secret-shaped text looks like: chat and API tokens, OAuth tokens and verifiers, calendar URLs.
    static let secretShapes: [(name: String, pattern: NSRegularExpression)] = [
        ("a Telegram bot token", #"\b\d{6,12}:[A-Za-z0-9_-]{30,}"#),
        ("a Slack token", #"\bx(?:ox[abprs]|app)-[A-Za-z0-9-]{8,}"#),
        ("a Google OAuth token", #"\bya29\.[A-Za-z0-9_-]{10,}|\b1//0[A-Za-z0-9_-]{20,}|GOCSPX-[A-Za-z0-9_-]{10,}"#),
        ("an API key", #"\bsk-[A-Za-z0-9_-]{20,}"#),
        ("a PKCE verifier", #""codeVerifier"\s*:"#),
        ("a calendar URL", #""url"\s*:\s*"https?:"#),
        ("a URL with a token in it", #"https?:(?:\\?/){2}[^\s"]*[?&](?:token|key|secret|access_token|auth)=[^\s&"]{8,}"#),
    ].map { ($0.0, try! NSRegularExpression(pattern: $0.1)) }

    /// Where secret-shaped text is stored in the clear, one line each (`table.column row N: a Slack token`);
    /// empty when there is none. Never includes the secret itself.
    public func plaintextSecrets() async throws -> [String] {
        try await pool.read { db in
            var found: [String] = []
            for (table, column) in Self.scannedColumns {
                let rows = try Row.fetchCursor(db, sql: "SELECT rowid AS row_number, \(column) AS text FROM \(table)")
                while let row = try rows.next() {
                    // Sealed values are blobs; only text can be read by whoever copies the file.
                    let value: DatabaseValue = row["text"]
                    guard case .string(let text) = value.storage else { continue }
                    let range = NSRange(text.startIndex..., in: text)
                    for shape in Self.secretShapes where shape.pattern.firstMatch(in: text, range: range) != nil {
                        let rowID: Int64 = row["row_number"]
                        found.append("\(table).\(column) row \(rowID): \(shape.name)")
                    }
                }
            }
            return found
        }
    }
}
