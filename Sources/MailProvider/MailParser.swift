import Foundation
import StewardCore

/// Raw RFC 5322 / MIME bytes → `MailMessage`. Never throws and never traps: broken structure yields
/// whatever text could be recovered (an unterminated multipart keeps its parts, an unknown charset decodes
/// lossily, nesting deeper than `MailLimits.maximumDepth` is treated as opaque). Every step is linear in its
/// input and bounded (`MailLimits`), and one parse has a time budget: past it the body is dropped and the
/// mail is triaged from its headers, which `MailMessage.bodyOmission` says.
public enum MailParser {

    /// `id` and `threadID` are the provider's; without an id the Message-ID header is used. `labels` are
    /// the provider's labels (Gmail `labelIds`), merged with an `X-Gmail-Labels` header (Takeout exports).
    public static func parse(_ data: Data, id: String? = nil, threadID: String = "", labels: [String] = []) -> MailMessage {
        data.withUnsafeBytes { raw in
            parse(raw.bindMemory(to: UInt8.self), id: id, threadID: threadID, labels: labels)
        }
    }

    public static func parse(_ bytes: [UInt8], id: String? = nil, threadID: String = "", labels: [String] = []) -> MailMessage {
        bytes.withUnsafeBufferPointer { parse($0, id: id, threadID: threadID, labels: labels) }
    }

    /// A Gmail `messages.get?format=raw` `raw` field (base64url).
    public static func parse(gmailRaw: String, id: String? = nil, threadID: String = "", labels: [String] = []) -> MailMessage {
        parse(TransferEncoding.base64Decode(gmailRaw.utf8), id: id, threadID: threadID, labels: labels)
    }

    /// `budget` is for tests. Without one, a mail of `MailLimits.budgetedSize` or more gets
    /// `MailLimits.timeBudget` and a smaller one none: every step is linear and capped, so a small mail
    /// parses in milliseconds whatever it holds, and a deadline would only make its result depend on how
    /// busy the machine is.
    static func parse(_ bytes: Bytes, id: String?, threadID: String, labels: [String],
                      budget: Duration? = nil) -> MailMessage {
        let (headerRange, bodyRange) = splitHeaderAndBody(bytes, 0..<bytes.count)
        let parseBudget = ParseBudget(budget ?? (bytes.count >= MailLimits.budgetedSize ? MailLimits.timeBudget : nil))
        let headers = MIMEHeaders(bytes, headerRange, budget: parseBudget)
        var content = Content(budget: parseBudget)
        walk(bytes, bodyRange, headers: headers, depth: 0, into: &content)

        var body: String
        if !content.plain.isEmpty {
            body = content.plain.joined(separator: "\n\n")
        } else {
            body = content.html.joined(separator: "\n\n")
        }
        // Deterministic rather than "as far as it got": a mail past its budget is triaged from headers alone.
        if content.omission == .timeBudget { body = "" }
        var allLabels = labels
        var seen = Set(labels)
        for label in short(headers, "x-gmail-labels")?.split(separator: ",") ?? [] {
            let trimmed = ASCII.trimmed(String(label))
            if !trimmed.isEmpty && seen.insert(trimmed).inserted { allLabels.append(trimmed) }
        }
        let from = MailAddressParser.parseList(headers.first("from")).first
            ?? MailAddressParser.parseList(headers.first("sender")).first ?? MailAddress(address: "")
        return MailMessage(
            id: id ?? angleStripped(short(headers, "message-id", bytes: 998)) ?? "",
            threadID: threadID,
            from: from,
            to: MailAddressParser.parseList(headers.first("to")),
            cc: MailAddressParser.parseList(headers.first("cc")),
            // Only the subject's start is decoded: each encoded word is at most 200 bytes, so 16 KB give far
            // more than the characters kept.
            subject: ASCII.capped(singleLine(EncodedWords.decode(short(headers, "subject", bytes: 16 * MailLimits.maximumSubject) ?? "")),
                                  MailLimits.maximumSubject),
            date: MailDateParser.parse(short(headers, "date", bytes: 256)),
            body: ASCII.trimmed(body),
            listUnsubscribe: short(headers, "list-unsubscribe"),
            autoSubmitted: short(headers, "auto-submitted"),
            precedence: short(headers, "precedence"),
            inReplyTo: short(headers, "in-reply-to"),
            labels: allLabels,
            isCalendarInvitation: content.calendar,
            attachmentNames: content.attachments,
            bodyOmission: content.omission
        )
    }

    static func walk(_ bytes: Bytes, _ body: Range<Int>, headers: MIMEHeaders, depth: Int, into content: inout Content) {
        guard content.mayContinue() else { return }
        let type = HeaderValueWithParameters(headers.first("content-type"), default: "text/plain")
        let disposition = HeaderValueWithParameters(headers.first("content-disposition"), default: "inline")
        let fileName = (disposition.parameters["filename"] ?? type.parameters["name"])
            .map { ASCII.capped(EncodedWords.decode($0), MailLimits.maximumName) }

        if type.value.hasPrefix("multipart/") {
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty,
                  boundary.utf8.count <= MailLimits.maximumBoundary else { return }
            guard depth < MailLimits.maximumDepth else {
                content.omit(.tooComplex)
                return
            }
            let parts = splitMultipart(bytes, body, boundary: Array(boundary.utf8), limit: content.partsLeft + 1)
            for part in parts {
                guard content.partsLeft > 0 else {
                    content.omit(.tooComplex)
                    return
                }
                content.partsLeft -= 1
                let (partHeaders, partBody) = splitHeaderAndBody(bytes, part)
                walk(bytes, partBody, headers: MIMEHeaders(bytes, partHeaders, budget: content.budget), depth: depth + 1, into: &content)
            }
            return
        }
        let isCalendar = type.value == "text/calendar" || type.value == "application/ics"
            || fileName?.lowercased().hasSuffix(".ics") == true
        if isCalendar { content.calendar = true }
        let isAttachment = disposition.value == "attachment" || (fileName != nil && !type.value.hasPrefix("text/"))
            || type.value == "message/rfc822"
        if isAttachment {
            // Attachment bodies are never decoded: nothing in Steward reads them, and they are most of the bytes.
            content.attachments.append(fileName ?? (type.value == "message/rfc822" ? "forwarded-message.eml" : "attachment"))
            return
        }
        switch type.value {
        case "text/plain", "text", "":
            let (text, cut) = plainText(bytes, body, headers: headers, charset: type.parameters["charset"],
                                        limit: content.textLeft(plain: true))
            content.add(plain: text, truncated: cut)
        case "text/html":
            let (conversion, cut) = htmlText(bytes, body, headers: headers, charset: type.parameters["charset"],
                                             limit: content.textLeft(plain: false), budget: content.budget)
            content.add(html: conversion, truncated: cut)
        default:
            break  // inline images of multipart/related, text/calendar (noted above), unknown types
        }
    }

    /// `base64`, `quoted-printable`, … lower-cased; read from the header's start (the names are short).
    static func transferEncoding(_ headers: MIMEHeaders) -> String? {
        short(headers, "content-transfer-encoding", bytes: 64).map { ASCII.trimmed($0).lowercased() }
    }

    static func transferDecoded(_ bytes: Bytes, _ range: Range<Int>, headers: MIMEHeaders) -> [UInt8] {
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        switch transferEncoding(headers) {
        case "base64": return TransferEncoding.base64Decode(raw)
        case "quoted-printable": return TransferEncoding.quotedPrintableDecode(raw)
        default: return Array(raw)
        }
    }

    static func decodeText(_ bytes: Bytes, _ range: Range<Int>, headers: MIMEHeaders, charset: String?) -> String {
        var decoded = transferDecoded(bytes, range, headers: headers)
        let charsetName = charset ?? "us-ascii"
        if !charsetName.lowercased().hasPrefix("utf-16") && !charsetName.lowercased().hasPrefix("utf-32") {
            decoded.removeAll { $0 == ASCII.cr }  // CRLF → LF; every ASCII-compatible charset keeps CR as 0x0D
        }
        return Charsets.decode(decoded, charset: charsetName)
    }

    /// The blank line ends the headers; without one the whole range is headers.
    static func splitHeaderAndBody(_ bytes: Bytes, _ range: Range<Int>) -> (Range<Int>, Range<Int>) {
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            let lineEnd = ASCII.lineEnd(bytes, from: lineStart, to: range.upperBound)
            let contentEnd = lineEnd > lineStart && bytes[lineEnd - 1] == ASCII.cr ? lineEnd - 1 : lineEnd
            if contentEnd == lineStart {
                return (range.lowerBound..<lineStart, min(lineEnd + 1, range.upperBound)..<range.upperBound)
            }
            lineStart = lineEnd + 1
        }
        return (range, range.upperBound..<range.upperBound)
    }

    /// The body parts between `--boundary` lines (RFC 2046 §5.1.1). The line break before a delimiter
    /// belongs to the delimiter; the preamble and epilogue are dropped; a missing close delimiter ends the
    /// last part at the end of the range. At most `limit` parts: the search stops there.
    static func splitMultipart(_ bytes: Bytes, _ range: Range<Int>, boundary: [UInt8], limit: Int = .max) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var partStart: Int?
        var lineStart = range.lowerBound
        let end = range.upperBound
        while lineStart < end {
            // memchr: this loop walks every byte of every attachment, the bulk of a large message.
            let lineEnd = ASCII.lineEnd(bytes, from: lineStart, to: end)
            if isDelimiter(bytes, lineStart, lineEnd, boundary) {
                let afterBoundary = lineStart + 2 + boundary.count
                let closes = afterBoundary + 1 < lineEnd && bytes[afterBoundary] == ASCII.dash && bytes[afterBoundary + 1] == ASCII.dash
                if let start = partStart {
                    var contentEnd = lineStart > range.lowerBound ? lineStart - 1 : lineStart
                    if contentEnd > start && bytes[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
                    parts.append(start..<max(start, contentEnd))
                }
                if closes || parts.count >= limit { return parts }
                partStart = min(lineEnd + 1, end)
            }
            lineStart = lineEnd + 1
        }
        if let start = partStart, start < end { parts.append(start..<end) }
        return parts
    }

    private static func isDelimiter(_ bytes: Bytes, _ lineStart: Int, _ lineEnd: Int, _ boundary: [UInt8]) -> Bool {
        let afterBoundary = lineStart + 2 + boundary.count
        guard afterBoundary <= lineEnd, bytes[lineStart] == ASCII.dash, bytes[lineStart + 1] == ASCII.dash else { return false }
        for (offset, byte) in boundary.enumerated() where bytes[lineStart + 2 + offset] != byte { return false }
        // `--abc` must not match a longer boundary `--abcdef`.
        guard afterBoundary < lineEnd else { return true }
        let next = bytes[afterBoundary]
        return next == ASCII.dash || ASCII.isWhitespace(next)
    }

    /// A header triage reads, cut to `bytes`: what a real one holds, without a hostile one's megabyte.
    static func short(_ headers: MIMEHeaders, _ name: String, bytes: Int = 4096) -> String? {
        headers.first(name).map { ASCII.prefix($0, bytes: bytes) }
    }

    static func angleStripped(_ value: String?) -> String? {
        guard let value else { return nil }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t"))
    }

    static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return text }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
    }
}
