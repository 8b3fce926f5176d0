import Foundation

/// A mailbox in a header: `Ada Lovelace <ada@example.com>`.
public struct GmailAddress: Sendable, Hashable {
    public var name: String?
    public var email: String

    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }
}

/// A message ready for `drafts.create`, with the `Message-ID` that identifies it once sent.
public struct GmailOutgoingMessage: Sendable, Hashable {
    public var raw: Data
    /// `<…@…>`, as in the header.
    public var messageID: String
}

/// Writes a minimal, correct RFC 5322 plain-text message (a reply, usually): CRLF line ends, folded
/// headers, non-ASCII header text as RFC 2047 `=?UTF-8?B?…?=` words, the body in UTF-8 quoted-printable.
///
/// Header values are single lines whatever they came from: a subject or a name taken from an
/// incoming mail cannot add headers of its own.
public struct GmailMessageBuilder: Sendable {
    public var from: GmailAddress
    public var to: [GmailAddress]
    public var cc: [GmailAddress]
    public var subject: String
    /// The `Message-ID` of the message answered.
    public var inReplyTo: String?
    /// The thread's `Message-ID`s, oldest first.
    public var references: [String]
    public var body: String
    public var date: Date

    public init(from: GmailAddress, to: [GmailAddress], cc: [GmailAddress] = [], subject: String, inReplyTo: String? = nil,
                references: [String] = [], body: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.inReplyTo = inReplyTo
        self.references = references
        self.body = body
        self.date = date
    }

    /// A reply to a message with `originalSubject`, `originalMessageID` and `originalReferences`
    /// (its `References` header): the subject gets one `Re: `, and `References` lists the thread
    /// followed by the original, as RFC 5322 §3.6.4 asks.
    public static func reply(from: GmailAddress, to: [GmailAddress], cc: [GmailAddress] = [], originalSubject: String,
                             originalMessageID: String?, originalReferences: String? = nil, body: String,
                             date: Date = Date()) -> GmailMessageBuilder {
        let trimmed = singleLine(originalSubject)
        let subject = trimmed.range(of: #"^re\s*:"#, options: [.regularExpression, .caseInsensitive]) != nil ? trimmed : "Re: " + trimmed
        var references = (originalReferences ?? "").split(whereSeparator: \.isWhitespace).map(String.init).filter(isMessageID)
        if let originalMessageID, isMessageID(originalMessageID), !references.contains(originalMessageID) {
            references.append(originalMessageID)
        }
        return GmailMessageBuilder(from: from, to: to, cc: cc, subject: subject,
                                   inReplyTo: originalMessageID.flatMap { isMessageID($0) ? $0 : nil },
                                   references: references, body: body, date: date)
    }

    /// The message; `messageID` defaults to a fresh one on the sender's domain.
    public func build(messageID: String? = nil) -> GmailOutgoingMessage {
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "steward.invalid"
        let id = messageID ?? "<\(UUID().uuidString.lowercased()).steward@\(domain)>"
        var lines: [String] = []
        func header(_ name: String, _ value: String) { lines.append(Self.fold(name + ": " + value)) }
        header("From", Self.render(from))
        header("To", to.map(Self.render).joined(separator: ", "))
        if !cc.isEmpty { header("Cc", cc.map(Self.render).joined(separator: ", ")) }
        header("Subject", Self.encodeWords(Self.singleLine(subject)))
        header("Date", Self.rfc5322Date(date))
        header("Message-ID", id)
        if let inReplyTo { header("In-Reply-To", inReplyTo) }
        if !references.isEmpty { header("References", references.joined(separator: " ")) }
        header("MIME-Version", "1.0")
        header("Content-Type", "text/plain; charset=UTF-8")
        header("Content-Transfer-Encoding", "quoted-printable")
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(body) + "\r\n"
        return GmailOutgoingMessage(raw: Data(text.utf8), messageID: id)
    }

    // MARK: Encoding

    static func isMessageID(_ text: String) -> Bool {
        text.hasPrefix("<") && text.hasSuffix(">") && text.contains("@") && !text.contains(where: { $0.isWhitespace })
    }

    /// Control characters (CR and LF above all) become spaces: one header, one line.
    static func singleLine(_ text: String) -> String {
        text.components(separatedBy: .controlCharacters).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func render(_ address: GmailAddress) -> String {
        let email = singleLine(address.email).filter { !"<>\",; ".contains($0) }
        guard let rawName = address.name.map(singleLine), !rawName.isEmpty else { return email }
        let name: String
        if rawName.unicodeScalars.contains(where: { !$0.isASCII }) {
            name = encodeWords(rawName)
        } else if rawName.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) {
            name = "\"" + rawName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            name = rawName
        }
        return "\(name) <\(email)>"
    }

    /// Plain ASCII stays as is; otherwise RFC 2047 B words of UTF-8, each at most 75 characters and
    /// never splitting a character, separated by spaces (folding may break there).
    static func encodeWords(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        let prefix = "=?UTF-8?B?", suffix = "?="
        let maxBytes = (75 - prefix.count - suffix.count) / 4 * 3  // 45 bytes of UTF-8 per word
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > maxBytes, !chunk.isEmpty {
                words.append(prefix + chunk.base64EncodedString() + suffix)
                chunk = Data()
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(prefix + chunk.base64EncodedString() + suffix) }
        return words.joined(separator: " ")
    }

    /// Folds a header line at spaces so no line exceeds 78 characters where a space allows it.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var result = ""
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.count + 1 + word.count > 78 {
                result += current + "\r\n"
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        return result + current
    }

    /// RFC 2045 §6.7 quoted-printable of the UTF-8 text, CRLF line ends, lines ≤ 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let bytes = Array(line.utf8)
            var tokens: [String] = []
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                tokens.append(literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte))
            }
            var output = ""
            var width = 0
            for token in tokens {
                if width + token.count > 75 {  // leave room for the soft break "="
                    output += "=\r\n"
                    width = 0
                }
                output += token
                width += token.count
            }
            return output
        }.joined(separator: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
