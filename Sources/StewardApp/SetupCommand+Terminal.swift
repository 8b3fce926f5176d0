#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Setup's side of the conversation: questions on stdout (flushed at once, since a prompt has no newline),
/// answers line by line from stdin; secrets read with the terminal's echo off.
struct SetupTerminal {
    func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// One answer, trimmed; nil when input ended.
    func ask(_ question: String, default current: String? = nil) -> String? {
        let shown = current.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
        FileHandle.standardOutput.write(Data("\(question)\(shown): ".utf8))
        guard let line = readLine(strippingNewline: true) else { return nil }
        let answer = line.trimmingCharacters(in: .whitespaces)
        return answer.isEmpty ? (current ?? "") : answer
    }

    /// A secret: echo off while it is typed (on a terminal), so it never shows on screen or in a recording
    /// of the session; `keeping` says a value exists and Enter keeps it. Nil when input ended.
    func askSecret(_ question: String, keeping: Bool) -> String? {
        // Echo goes off before the question shows, so an answer typed the moment it appears is hidden too.
        var saved = termios()
        let isTerminal = isatty(0) != 0 && tcgetattr(0, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(0, TCSANOW, &quiet)
        }
        FileHandle.standardOutput.write(Data("\(question)\(keeping ? " [Enter keeps the current one]" : ""): ".utf8))
        defer {
            if isTerminal {
                var restored = saved
                _ = tcsetattr(0, TCSANOW, &restored)
                FileHandle.standardOutput.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
    }
}

/// Writes `bot.env` whole: readable only by its owner (it holds tokens), keys in `Configuration`'s order,
/// values quoted when they need it, so `EnvFile` reads back exactly what was written.
enum SetupFile {
    static func write(_ values: [String: String], to file: URL) throws {
        let known = ConfigKey.allCases.map(\.rawValue)
        let ordered = known.filter { values[$0] != nil } + values.keys.filter { !known.contains($0) }.sorted()
        var text = "# Written by `steward setup`; bot.env.example explains every key. The environment wins over this file.\n"
        for key in ordered {
            guard let value = values[key], !value.isEmpty else { continue }
            text += "\(key)=\(quoted(value))\n"
        }
        let path = file.path
        let temporary = path + ".setup-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw RuntimeFailure(message: "could not write \(path): check that its folder exists and is writable")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw RuntimeFailure(message: "could not replace \(path): check its permissions")
        }
    }

    /// Bare when only safe characters; otherwise double-quoted with `\` and `"` escaped.
    static func quoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.:/+=@,".unicodeScalars.contains($0))
        }
        if safe { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
