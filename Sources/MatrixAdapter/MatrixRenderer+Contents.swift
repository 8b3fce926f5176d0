import Foundation
import StewardCore

/// The event contents Steward sends, as the Client-Server API spells them.
extension MatrixRenderer {
    /// An `m.notice` with a plain body and its escaped HTML.
    struct Notice: Encodable {
        var msgtype = "m.notice"
        var body: String
        var format = "org.matrix.custom.html"
        var formattedBody: String

        init(body: String, formattedBody: String) {
            self.body = body
            self.formattedBody = formattedBody
        }

        enum CodingKeys: String, CodingKey {
            case msgtype, body, format
            case formattedBody = "formatted_body"
        }

        /// The same JSON `JSONEncoder` writes, written straight to bytes: every answer is one of these, and
        /// the encoder's boxing of each value was most of the renderer's time.
        var json: Data {
            var json = JSONObjectWriter(capacity: body.utf8.count + formattedBody.utf8.count + 96)
            json.open()
            json.field("msgtype", msgtype)
            json.field("body", body)
            json.field("format", format)
            json.field("formatted_body", formattedBody)
            json.close()
            return Data(json.bytes)
        }
    }

    /// An `m.replace` edit: the fallback text for clients without edits, and the new content.
    struct Edit: Encodable {
        var msgtype = "m.notice"
        var body: String
        var format = "org.matrix.custom.html"
        var formattedBody: String
        var newContent: Notice
        var relatesTo: Relation

        init(body: String, formattedBody: String, newContent: Notice, relatesTo: Relation) {
            self.body = body
            self.formattedBody = formattedBody
            self.newContent = newContent
            self.relatesTo = relatesTo
        }

        enum CodingKeys: String, CodingKey {
            case msgtype, body, format
            case formattedBody = "formatted_body"
            case newContent = "m.new_content"
            case relatesTo = "m.relates_to"
        }
    }

    struct Relation: Encodable {
        var relType: String
        var eventID: String
        var key: String?

        enum CodingKeys: String, CodingKey {
            case key
            case relType = "rel_type"
            case eventID = "event_id"
        }
    }

    struct Reaction: Encodable {
        var relatesTo: Relation
        enum CodingKeys: String, CodingKey { case relatesTo = "m.relates_to" }
    }

    struct PlainNotice: Encodable {
        var msgtype = "m.notice"
        var body: String
        init(body: String) { self.body = body }
    }
}
