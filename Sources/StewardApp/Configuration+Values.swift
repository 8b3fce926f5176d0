import Foundation
import StewardCore

/// The raw text of every known key after merging the environment over the env file, with one typed
/// reader per kind of value. Each reader throws a ``ConfigurationError`` naming the key; none echoes a
/// secret.
struct RawSettings: Sendable {
    /// Non-empty values only: an empty value counts as unset.
    private(set) var values: [ConfigKey: String] = [:]
    /// Lines of the env file whose key Steward does not know.
    private(set) var warnings: [String] = []

    /// Environment values win over file values; surrounding whitespace of environment values is ignored,
    /// and so is an empty value in either place (the other place then applies).
    init(environment: [String: String], file: EnvFile, fileLocation: String) {
        for key in ConfigKey.allCases {
            if let value = environment[key.rawValue]?.trimmingCharacters(in: .whitespacesAndNewlines),
               !value.isEmpty {
                values[key] = value
            } else if let value = file.values[key.rawValue],
                      !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                values[key] = value
            }
        }
        let known = Set(ConfigKey.allCases.map(\.rawValue))
        warnings = file.lineNumbers
            .filter { !known.contains($0.key) }
            .sorted { $0.value < $1.value }
            .map { "\(fileLocation):\($0.value): unknown key \($0.key) is ignored" }
    }

    func string(_ key: ConfigKey) -> String? { values[key] }

    // MARK: Numbers

    /// A decimal integer (ASCII digits only) inside `range`; `fallback` when unset.
    func integer(_ key: ConfigKey, in range: ClosedRange<Int>, expected: String) throws(ConfigurationError) -> Int? {
        guard let text = string(key) else { return nil }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text), range.contains(number) else {
            throw .invalid(key, expected, got: text)
        }
        return number
    }

    // MARK: URLs

    /// An `http`/`https` URL with a host, no query or fragment; a trailing `/` is dropped so that
    /// `{base}/path` composes. `fallback` (already valid) when unset.
    func baseURL(_ key: ConfigKey, fallback: String?) throws(ConfigurationError) -> URL? {
        guard let text = string(key) ?? fallback else { return nil }
        let expected = "an http:// or https:// URL with a host, like https://example.org/path"
        guard !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil,
              components.port.map({ (1...65535).contains($0) }) ?? true
        else { throw .invalid(key, expected, got: text) }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed) else { throw .invalid(key, expected, got: text) }
        return url
    }

    // MARK: Secrets

    /// A secret token: no whitespace or control characters, and `extraCheck` (a reason when it fails).
    func token(
        _ key: ConfigKey, expected: String, extraCheck: (String) -> String? = { _ in nil }
    ) throws(ConfigurationError) -> String? {
        guard let text = string(key) else { return nil }
        if text.unicodeScalars.contains(where: {
            CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0)
        }) {
            throw .invalidSecret(key, expected, gotAValueThat: "contains whitespace")
        }
        if let reason = extraCheck(text) { throw .invalidSecret(key, expected, gotAValueThat: reason) }
        return text
    }

    /// `STEWARD_SECRET_KEY`: base64 that decodes to exactly 32 bytes.
    func secretKey() throws(ConfigurationError) -> Data? {
        guard let text = string(.secretKey) else { return nil }
        let expected = "base64 of exactly 32 bytes (make one with `steward keygen`)"
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .invalidSecret(.secretKey, expected, gotAValueThat: "is not valid base64")
        }
        guard data.count == 32 else {
            throw .invalidSecret(.secretKey, expected, gotAValueThat: "decodes to \(data.count) bytes")
        }
        return data
    }

    // MARK: Words

    /// One of `choices` (case-insensitive) mapped through `make`; nil when unset.
    func choice<T>(_ key: ConfigKey, _ choices: [String], make: (String) -> T?) throws(ConfigurationError) -> T? {
        guard let text = string(key) else { return nil }
        guard let value = make(text.lowercased()) else {
            throw .invalid(key, "one of " + choices.joined(separator: ", "), got: text)
        }
        return value
    }

    /// A comma-separated list of `platform:id`; whitespace and empty entries are ignored, duplicates
    /// dropped, order kept. A bad entry is named in the error.
    func identities(_ key: ConfigKey) throws(ConfigurationError) -> [ChatIdentity] {
        guard let text = string(key) else { return [] }
        var result: [ChatIdentity] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let identity = ChatIdentity(supported: trimmed) else {
                let platforms = Platform.supported.map(\.rawValue).joined(separator: ", ")
                throw .invalid(key, "comma-separated platform:id entries (platform one of \(platforms))",
                               got: trimmed)
            }
            if !result.contains(identity) { result.append(identity) }
        }
        return result
    }

    /// `STEWARD_TIMEZONE`: an identifier the time-zone database knows, kept as written.
    func timeZone() throws(ConfigurationError) -> String? {
        guard let text = string(.timeZone) else { return nil }
        guard TimeZone(identifier: text) != nil else {
            throw .invalid(.timeZone, "an IANA time zone such as Europe/Berlin or America/New_York", got: text)
        }
        return text
    }

    /// `STEWARD_HTTP_HOST`: a host name or IP address, not a URL.
    func host() throws(ConfigurationError) -> String? {
        guard let text = string(.httpHost) else { return nil }
        guard !text.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" }) else {
            throw .invalid(.httpHost, "a host name or IP address to listen on, like 127.0.0.1 or 0.0.0.0", got: text)
        }
        return text
    }

    // MARK: Database

    /// `STEWARD_DATABASE_URL`: `sqlite:///absolute/path`, `sqlite:relative/path` (relative to the data
    /// directory), or `postgres://` / `postgresql://` with a host.
    func database(dataDirectory: URL) throws(ConfigurationError) -> Configuration.DatabaseLocation {
        guard let text = string(.databaseURL) else {
            return .sqlite(path: dataDirectory.appendingPathComponent("steward.sqlite"))
        }
        let expected = "sqlite:///absolute/path, sqlite:relative/path or postgres://user:pass@host:port/db"
        let lowered = text.lowercased()
        if lowered.hasPrefix("sqlite:") {
            let rest = text.dropFirst("sqlite:".count)
            let encodedPath: Substring
            if rest.hasPrefix("///") {
                encodedPath = rest.dropFirst(2)  // keep the leading "/"
            } else if rest.hasPrefix("/") {
                // `sqlite://host/…` names a host, which SQLite has no use for; `sqlite:/abs` is fine.
                guard !rest.hasPrefix("//") else { throw .invalid(.databaseURL, expected, got: text) }
                encodedPath = rest
            } else {
                encodedPath = rest
            }
            guard let path = String(encodedPath).removingPercentEncoding,
                  !path.isEmpty, path != "/", !path.hasSuffix("/"),
                  !path.contains("?"), !path.contains("#")
            else { throw .invalid(.databaseURL, expected, got: text) }
            if path.hasPrefix("/") { return .sqlite(path: URL(fileURLWithPath: path).standardizedFileURL) }
            return .sqlite(path: dataDirectory.appendingPathComponent(path).standardizedFileURL)
        }
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard !text.contains(where: { $0.isWhitespace }),
                  let components = URLComponents(string: text),
                  let host = components.host, !host.isEmpty,
                  components.port.map({ (1...65535).contains($0) }) ?? true
            else { throw .invalid(.databaseURL, expected, got: text) }
            return .postgres(url: text)
        }
        throw .invalid(.databaseURL, expected, got: text)
    }
}
