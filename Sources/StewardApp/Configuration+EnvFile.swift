import Foundation

/// The contents of a `bot.env` file.
///
/// Accepted syntax, one entry per line:
/// - blank lines and lines starting with `#` are ignored;
/// - `KEY=VALUE` or `export KEY=VALUE`, where `KEY` is `[A-Za-z_][A-Za-z0-9_]*`;
/// - `VALUE` unquoted (surrounding whitespace dropped; ` #` starts a comment),
///   `'single quoted'` (taken literally), or `"double quoted"` (`\n`, `\r`, `\t`, `\"`, `\\` unescaped);
///   a closing quote may be followed only by whitespace and a `#` comment;
/// - a later line for the same key replaces an earlier one.
///
/// Anything else is an error naming the file and line number; the line itself is never echoed, since
/// it may hold a secret.
struct EnvFile: Sendable, Equatable {
    /// Key → value, exactly as written after unquoting (a quoted value keeps its inner whitespace).
    var values: [String: String] = [:]
    /// Key → the line number it was (last) set on.
    var lineNumbers: [String: Int] = [:]

    /// Reads and parses `url`; an absent file is an empty `EnvFile`.
    static func read(_ url: URL) throws(ConfigurationError) -> EnvFile {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return EnvFile() }
        guard !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path)
        else {
            throw ConfigurationError(key: path, expected: "a readable KEY=VALUE file",
                                     found: "got a file Steward cannot read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(key: path, expected: "a UTF-8 text file",
                                     found: "got bytes that are not UTF-8")
        }
        return try parse(text, location: path)
    }

    /// Parses the text of an env file; `location` names the file in errors.
    static func parse(_ text: String, location: String) throws(ConfigurationError) -> EnvFile {
        var file = EnvFile()
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        // `Character` treats "\r\n" as one character, so both line endings are separators.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if let (key, value) = try parseLine(line, location: "\(location):\(lineNumber)") {
                file.values[key] = value
                file.lineNumbers[key] = lineNumber
            }
        }
        return file
    }

    /// One line → (key, value), or nil for a blank or comment line.
    private static func parseLine(_ rawLine: Substring, location: String)
        throws(ConfigurationError) -> (String, String)? {
        func malformed(_ found: String) -> ConfigurationError {
            ConfigurationError(key: location, expected: "KEY=VALUE, a # comment or a blank line", found: found)
        }
        var line = rawLine.drop { $0.isWhitespace }
        if line.isEmpty || line.first == "#" { return nil }
        if line.hasPrefix("export"), let next = line.dropFirst(6).first, next == " " || next == "\t" {
            line = line.dropFirst(6).drop { $0.isWhitespace }
        }
        guard let equals = line.firstIndex(of: "=") else { throw malformed("got a line without \"=\"") }
        let key = String(line[..<equals].trimmingCharacters(in: .whitespaces))
        guard isValidKey(key) else {
            throw malformed("got a key name that is not letters, digits and _")
        }
        let rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
        let value: String
        switch rest.first {
        case "\"":
            value = try doubleQuoted(rest.dropFirst(), malformed: malformed)
        case "'":
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: "'") else {
                throw malformed("got a single-quoted value without its closing quote")
            }
            try checkTrailer(body[body.index(after: close)...], malformed: malformed)
            value = String(body[..<close])
        default:
            value = unquoted(rest)
        }
        return (key, value)
    }

    private static func doubleQuoted(
        _ body: Substring, malformed: (String) -> ConfigurationError
    ) throws(ConfigurationError) -> String {
        var result = ""
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "\"" {
                try checkTrailer(body[body.index(after: index)...], malformed: malformed)
                return result
            }
            if character == "\\", body.index(after: index) < body.endIndex {
                let escaped = body[body.index(after: index)]
                switch escaped {
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "t": result.append("\t")
                case "\"", "\\": result.append(escaped)
                default: result.append(character); result.append(escaped)
                }
                index = body.index(index, offsetBy: 2)
                continue
            }
            result.append(character)
            index = body.index(after: index)
        }
        throw malformed("got a double-quoted value without its closing quote")
    }

    /// After a closing quote only whitespace and a comment may follow.
    private static func checkTrailer(
        _ trailer: Substring, malformed: (String) -> ConfigurationError
    ) throws(ConfigurationError) {
        let rest = trailer.drop { $0.isWhitespace }
        guard rest.isEmpty || rest.first == "#" else {
            throw malformed("got text after the closing quote")
        }
    }

    /// An unquoted value ends at a `#` that follows whitespace; surrounding whitespace is dropped.
    private static func unquoted(_ rest: Substring) -> String {
        var end = rest.endIndex
        var previous: Character = " "
        for index in rest.indices {
            if rest[index] == "#", previous.isWhitespace { end = index; break }
            previous = rest[index]
        }
        return rest[..<end].trimmingCharacters(in: .whitespaces)
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || isASCIILetter($0) || ("0"..."9").contains($0) }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
