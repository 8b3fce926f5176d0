import Foundation

/// The parts of a `/sync` answer Steward reads. Everything is optional: a homeserver may leave out any
/// section, and one odd event must not make the whole batch unreadable.
public struct MatrixSyncResponse: Decodable, Sendable {
    public var nextBatch: String
    public var rooms: Rooms?
    public var accountData: EventList?

    public struct Rooms: Decodable, Sendable {
        public var join: [String: JoinedRoom]?
        public var invite: [String: InvitedRoom]?
    }

    public struct JoinedRoom: Decodable, Sendable {
        public var timeline: Timeline?
        public var summary: Summary?
        public var state: EventList?
    }

    public struct Summary: Decodable, Sendable {
        public var joinedMemberCount: Int?
        enum CodingKeys: String, CodingKey { case joinedMemberCount = "m.joined_member_count" }
    }

    public struct Timeline: Decodable, Sendable {
        public var events: [MatrixEvent]?
        public var limited: Bool?
        public var prevBatch: String?
        enum CodingKeys: String, CodingKey {
            case events, limited
            case prevBatch = "prev_batch"
        }
    }

    public struct InvitedRoom: Decodable, Sendable {
        public var inviteState: EventList?
        enum CodingKeys: String, CodingKey { case inviteState = "invite_state" }
    }

    public struct EventList: Decodable, Sendable {
        public var events: [MatrixEvent]?
    }

    enum CodingKeys: String, CodingKey {
        case rooms
        case nextBatch = "next_batch"
        case accountData = "account_data"
    }

    public init(nextBatch: String, rooms: Rooms? = nil, accountData: EventList? = nil) {
        self.nextBatch = nextBatch
        self.rooms = rooms
        self.accountData = accountData
    }
}

/// One room event, with the content fields Steward uses.
public struct MatrixEvent: Decodable, Sendable {
    public var type: String
    public var eventID: String?
    public var sender: String?
    public var stateKey: String?
    public var originServerTS: Int64?
    public var content: Content

    public struct Content: Decodable, Sendable {
        public var msgtype: String?
        public var body: String?
        public var membership: String?
        public var isDirect: Bool?
        public var relatesTo: Relation?
        public var mentions: Mentions?
        public var algorithm: String?
        public var newContent: NewContent?

        public struct Relation: Decodable, Sendable {
            public var relType: String?
            public var eventID: String?
            public var key: String?
            enum CodingKeys: String, CodingKey {
                case key
                case relType = "rel_type"
                case eventID = "event_id"
            }
        }

        public struct Mentions: Decodable, Sendable {
            public var userIDs: [String]?
            enum CodingKeys: String, CodingKey { case userIDs = "user_ids" }
        }

        /// Present on an edit: its being there is what we need to know.
        public struct NewContent: Decodable, Sendable {
            public var body: String?
        }

        enum CodingKeys: String, CodingKey {
            case msgtype, body, membership, mentions, algorithm
            case isDirect = "is_direct"
            case relatesTo = "m.relates_to"
            case newContent = "m.new_content"
        }

        public init(msgtype: String? = nil, body: String? = nil) {
            self.msgtype = msgtype
            self.body = body
        }

        public init(from decoder: any Decoder) throws {
            // Each field on its own: a sender may put any JSON in any field, and a field of the wrong type
            // must cost only that field, not the event.
            let container = try decoder.container(keyedBy: CodingKeys.self)
            msgtype = try? container.decodeIfPresent(String.self, forKey: .msgtype)
            body = try? container.decodeIfPresent(String.self, forKey: .body)
            membership = try? container.decodeIfPresent(String.self, forKey: .membership)
            isDirect = try? container.decodeIfPresent(Bool.self, forKey: .isDirect)
            relatesTo = try? container.decodeIfPresent(Relation.self, forKey: .relatesTo)
            mentions = try? container.decodeIfPresent(Mentions.self, forKey: .mentions)
            algorithm = try? container.decodeIfPresent(String.self, forKey: .algorithm)
            newContent = try? container.decodeIfPresent(NewContent.self, forKey: .newContent)
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, sender, content
        case eventID = "event_id"
        case stateKey = "state_key"
        case originServerTS = "origin_server_ts"
    }

    public init(type: String, eventID: String?, sender: String?, stateKey: String? = nil, content: Content) {
        self.type = type
        self.eventID = eventID
        self.sender = sender
        self.stateKey = stateKey
        self.content = content
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = (try? container.decode(String.self, forKey: .type)) ?? ""
        eventID = try? container.decodeIfPresent(String.self, forKey: .eventID)
        sender = try? container.decodeIfPresent(String.self, forKey: .sender)
        stateKey = try? container.decodeIfPresent(String.self, forKey: .stateKey)
        originServerTS = try? container.decodeIfPresent(Int64.self, forKey: .originServerTS)
        content = (try? container.decode(Content.self, forKey: .content)) ?? Content()
    }
}

/// `/account/whoami`.
public struct MatrixWhoAmI: Decodable, Sendable {
    public var userID: String
    public var deviceID: String?
    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case deviceID = "device_id"
    }
}

/// `/login`'s answer.
public struct MatrixLogin: Decodable, Sendable {
    public var accessToken: String
    public var deviceID: String?
    public var userID: String?
    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case deviceID = "device_id"
        case userID = "user_id"
    }
}

/// `/versions`.
public struct MatrixVersions: Decodable, Sendable {
    public var versions: [String]
}

/// A sent event's id.
public struct MatrixEventID: Decodable, Sendable {
    public var eventID: String
    enum CodingKeys: String, CodingKey { case eventID = "event_id" }
}

/// An answer whose body Steward doesn't need.
public struct MatrixEmpty: Decodable, Sendable {}

/// `/messages`: a page of a room's timeline.
public struct MatrixMessagesPage: Decodable, Sendable {
    public var chunk: [MatrixEvent]?
    public var end: String?
}
