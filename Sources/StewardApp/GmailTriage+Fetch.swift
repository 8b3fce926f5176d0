import Foundation
import GoogleWorkspace
import MailProvider
import StewardCore

/// One new message as triage reads it: whole when it is of a reasonable size, else from its headers.
struct FetchedMail: Sendable {
    var id: String
    var internalDate: Date?
    var message: MailMessage
}

extension GmailTriage {
    /// The message `id`: its metadata first (headers, labels, `sizeEstimate`), then its raw bytes unless it
    /// is larger than `rawSizeLimit`, in which case its headers and Gmail's snippet stand in for it.
    /// - Throws: `GoogleError.notFound` when the message was deleted since the history listed it.
    func fetch(_ id: String, from gmail: GmailClient) async throws -> FetchedMail? {
        let metadata = try await gmail.metadata(id: id)
        if let size = metadata.sizeEstimate, size > Self.rawSizeLimit {
            return FetchedMail(id: metadata.id, internalDate: metadata.internalDate, message: Self.tooLarge(metadata))
        }
        let raw = try await gmail.rawMessage(id: id)
        return FetchedMail(id: raw.id, internalDate: raw.internalDate ?? metadata.internalDate,
                           message: MailParser.parse(raw.raw, id: raw.id, threadID: raw.threadID, labels: raw.labelIDs))
    }

    /// A mail too large to fetch whole, from its metadata, saying its body was left out.
    static func tooLarge(_ metadata: GmailMessageMetadata) -> MailMessage {
        var message = message(from: metadata)
        message.bodyOmission = .tooLarge
        return message
    }

    /// A message built from `format=metadata`: the headers triage reads (Gmail has already decoded RFC 2047
    /// words in them) and the snippet as its body.
    static func message(from metadata: GmailMessageMetadata) -> MailMessage {
        let from = metadata.header("From").flatMap { MailAddressParser.parseOne(Substring($0)) }
            ?? MailAddress(address: metadata.header("From") ?? "")
        return MailMessage(id: metadata.id, threadID: metadata.threadID, from: from,
                           to: MailAddressParser.parseList(metadata.header("To")),
                           cc: MailAddressParser.parseList(metadata.header("Cc")),
                           subject: metadata.header("Subject") ?? "", date: MailDateParser.parse(metadata.header("Date")),
                           body: metadata.snippet, listUnsubscribe: metadata.header("List-Unsubscribe"),
                           autoSubmitted: metadata.header("Auto-Submitted"), precedence: metadata.header("Precedence"),
                           labels: metadata.labelIDs)
    }
}
