import Foundation

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
            var bytes: [UInt8] = []
            bytes.reserveCapacity(body.utf8.count + formattedBody.utf8.count + 96)
            bytes.append(contentsOf: #"{"msgtype":"#.utf8)
            Self.append(msgtype, to: &bytes)
            bytes.append(contentsOf: #","body":"#.utf8)
            Self.append(body, to: &bytes)
            bytes.append(contentsOf: #","format":"#.utf8)
            Self.append(format, to: &bytes)
            bytes.append(contentsOf: #","formatted_body":"#.utf8)
            Self.append(formattedBody, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
            return Data(bytes)
        }

        /// `text` as a JSON string (RFC 8259): quote and backslash escaped, control characters as escapes,
        /// everything else (slashes and non-ASCII included) as its UTF-8 bytes.
        static func append(_ text: String, to bytes: inout [UInt8]) {
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
                case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
                case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
                case 0..<0x20: bytes.append(contentsOf: #"\u00"#.utf8 + [hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
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
