import Foundation

/// The bounds that keep one hostile mail from stalling triage. Each is far beyond what a real client
/// sends, so ordinary mail never meets one; a mail that does is still triaged, from what was read.
enum MailLimits {
    /// Nesting of multiparts: Apple Mail nests ~4 levels, a forwarded thread a few more.
    static let maximumDepth = 16
    /// Body parts visited in one message, at every level together.
    static let maximumParts = 500
    /// UTF-8 bytes of readable text kept per part and for the whole body.
    static let maximumText = 1 << 20
    /// Raw bytes of one text part that are decoded at all: enough to fill `maximumText` in any
    /// transfer encoding (quoted-printable of non-ASCII text needs three bytes per byte).
    static let maximumPlainInput = 3 * maximumText + 4096
    /// Raw bytes of one HTML part that are converted: markup is most of a newsletter's bytes (Gmail
    /// itself clips HTML at 102 KB), and a non-UTF-8 part must be decoded first (~45 ms a MB in Shift JIS).
    static let maximumHTMLInput = 2 * maximumText
    /// Bytes of one unfolded header field kept; the rest of the field is skipped.
    static let maximumFieldBytes = 1 << 20
    /// Header fields kept per header block (a real message has fewer than 100).
    static let maximumFields = 5_000
    /// Addresses kept from one To/Cc/From header.
    static let maximumAddresses = 1_000
    /// Parameters read from one Content-Type or Content-Disposition.
    static let maximumParameters = 128
    /// RFC 2231 sections of one parameter, and the decoded bytes they may add up to.
    static let maximumSections = 64
    static let maximumParameterBytes = 4096
    /// Characters kept of a subject, a display name, an attachment's name.
    static let maximumSubject = 1_000
    static let maximumName = 255
    /// RFC 2046 caps a boundary at 70 characters; a longer one is not a real multipart.
    static let maximumBoundary = 200
    /// One mail's parse, headers to last part. Past it, the body is dropped and the mail is triaged from
    /// its headers: one mail never holds up the mails after it.
    static let timeBudget: Duration = .milliseconds(250)
    /// Mails from this size on get the time budget (see `MailParser.parse`); the worst smaller one takes
    /// ~25 ms in a release build.
    static let budgetedSize = 512 * 1024
}

/// A deadline for one mail's parse, measured with the monotonic clock; none when nil.
struct ParseBudget {
    let deadline: ContinuousClock.Instant?

    init(_ duration: Duration?) {
        deadline = duration.map { ContinuousClock.now.advanced(by: $0) }
    }

    var isExpired: Bool {
        guard let deadline else { return false }
        return ContinuousClock.now >= deadline
    }
}

extension ASCII {
    /// The largest count ≤ `limit` that does not split a UTF-8 sequence of `bytes`.
    static func utf8Prefix(_ bytes: [UInt8], _ limit: Int) -> Int {
        guard limit < bytes.count else { return bytes.count }
        var end = max(0, limit)
        // Continuation bytes are 10xxxxxx; at most three precede the cut inside one character.
        while end > 0 && end > limit - 3 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    /// The first `limit` UTF-8 bytes of `text`, cut between characters.
    static func prefix(_ text: String, bytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let bytes = Array(text.utf8.prefix(limit + 1))
        return String(decoding: bytes[..<utf8Prefix(bytes, limit)], as: UTF8.self)
    }

    /// `text` cut to `limit` characters, with `…` when cut.
    static func capped(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit, let cut = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
              cut < text.endIndex else { return text }
        return String(text[..<cut]) + "…"
    }
}
