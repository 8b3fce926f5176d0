import Foundation
import StewardCore

/// Account options that are secrets in disguise — a calendar URL often carries an access token — are
/// stored sealed like tokens: the stored JSON holds `sealed.<name>` with the AES-GCM box in base64, and
/// reading the account opens it again, so every caller still sees `options["url"]`.
extension SQLiteStore {
    /// Option names whose values are sealed at rest.
    static let sealedOptionNames: Set<String> = ["url"]
    static let sealedPrefix = "sealed."

    func sealOptions(_ options: [String: String]) throws -> [String: String] {
        var stored = options
        for name in Self.sealedOptionNames {
            guard let value = options[name] else { continue }
            // Without a key nothing can be sealed: refuse rather than keep the secret in the clear.
            guard let secrets else { throw StorageError.noSecretKey }
            stored[name] = nil
            stored[Self.sealedPrefix + name] = try secrets.seal(Data(value.utf8)).base64EncodedString()
        }
        return stored
    }

    /// The options as callers use them; a sealed value that can't be opened (no key, another key) is left
    /// out, so the account reports itself broken instead of leaking or crashing.
    func openOptions(_ stored: [String: String]) -> [String: String] {
        var options = stored
        for (name, value) in stored where name.hasPrefix(Self.sealedPrefix) {
            options[name] = nil
            guard let secrets, let sealed = Data(base64Encoded: value),
                  let opened = try? secrets.open(sealed) else { continue }
            options[String(name.dropFirst(Self.sealedPrefix.count))] = String(decoding: opened, as: UTF8.self)
        }
        return options
    }
}
