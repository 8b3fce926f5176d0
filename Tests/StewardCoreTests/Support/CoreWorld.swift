import Foundation
@testable import StewardCore

/// Users, approvals and the audit log in memory: the orchestrator's storage without a database.
actor MemoryStore: UserRepository, ApprovalRepository, AuditLog {
    private var users: [ChatIdentity: User] = [:]
    private var settingsByUser: [User.ID: UserSettings] = [:]
    private var homes: [User.ID: HomeChat] = [:]
    private var refused: Set<ChatIdentity> = []
    private var requests: [String: ApprovalRequest] = [:]
    private(set) var entries: [AuditEntry] = []

    func user(for identity: ChatIdentity) -> User? { users[identity] }

    func ensureUser(identity: ChatIdentity, displayName: String, role: User.Role,
                    defaultSettings: UserSettings) -> User {
        if var known = users[identity] {
            known.role = role
            users[identity] = known
            return known
        }
        let user = User(id: Int64(users.count + 1), displayName: displayName, role: role)
        users[identity] = user
        settingsByUser[user.id] = defaultSettings
        return user
    }

    func allUsers() -> [User] { Array(users.values) }
    func settings(of user: User.ID) -> UserSettings { settingsByUser[user] ?? UserSettings(timeZone: "UTC") }
    func saveSettings(_ settings: UserSettings, of user: User.ID) { settingsByUser[user] = settings }
    func homeChat(of user: User.ID) -> HomeChat? { homes[user] }
    func setHomeChat(_ chat: ChatRef, of user: User.ID) { homes[user] = HomeChat(chat: chat, isActive: true) }
    func deactivateHomeChat(_ chat: ChatRef) {
        for (user, home) in homes where home.chat == chat { homes[user]?.isActive = false }
    }
    func recordRefusal(of identity: ChatIdentity, at date: Date) -> Bool { refused.insert(identity).inserted }

    func insert(_ request: ApprovalRequest) -> ApprovalRequest {
        if let known = requests[request.id] { return known }
        requests[request.id] = request
        return request
    }
    func approval(id: String) -> ApprovalRequest? { requests[id] }
    func transition(id: String, from: ApprovalState, to: ApprovalState, at date: Date, outcome: String?) -> Bool {
        guard let request = requests[id], request.state == from, from.canMove(to: to) else { return false }
        requests[id]?.state = to
        requests[id]?.decidedAt = date
        if let outcome { requests[id]?.outcome = outcome }
        return true
    }
    func pending(of user: User.ID) -> [ApprovalRequest] {
        requests.values.filter { $0.userID == user && $0.state == .pending }
    }
    func approvedUnfinished() -> [ApprovalRequest] { requests.values.filter { $0.state == .approved } }
    func pendingExpired(at date: Date) -> [ApprovalRequest] {
        requests.values.filter { $0.state == .pending && $0.expiresAt <= date }
    }

    private var cards: [String: ApprovalCard] = [:]
    func insert(card: ApprovalCard, requests: [ApprovalRequest]) -> [ApprovalRequest] {
        if cards[card.id] == nil { cards[card.id] = card }
        return requests.map { request in
            var request = request
            request.cardID = card.id
            return insert(request)
        }
    }
    func card(id: String) -> ApprovalCard? {
        guard let card = cards[id] else { return nil }
        return ApprovalCard(id: id, userID: card.userID, chat: card.chat,
                            requests: requests.values.filter { $0.cardID == id }, messageID: card.messageID,
                            createdAt: card.createdAt)
    }
    func retireSiblings(of request: ApprovalRequest, at date: Date, outcome: String) -> SiblingRetirement {
        guard let cardID = request.cardID else { return .retired(count: 0) }
        let others = requests.values.filter { $0.cardID == cardID && $0.id != request.id }
        if others.contains(where: { [.approved, .executed, .failed].contains($0.state) }) {
            _ = transition(id: request.id, from: .pending, to: .rejected, at: date, outcome: outcome)
            return .otherTaken
        }
        return .retired(count: others.filter { transition(id: $0.id, from: .pending, to: .rejected, at: date,
                                                           outcome: outcome) }.count)
    }

    func record(_ entry: AuditEntry) { entries.append(entry) }
    func recent(limit: Int) -> [AuditEntry] { Array(entries.suffix(limit).reversed()) }
}

/// A calendar that can change events (as Google can), keeping every write it was asked for.
actor FakeCalendar: CalendarProvider {
    nonisolated let accountID: String
    nonisolated let canChangeEvents: Bool
    nonisolated let canNotifyAttendees: Bool
    private(set) var stored: [CalendarEvent]
    private(set) var moves: [(id: String, start: Date, end: Date, timeZone: String, notify: Bool)] = []
    private(set) var cancels: [(id: String, notify: Bool)] = []
    private(set) var created: [EventDraft] = []
    nonisolated let canCreateAllDayEvents: Bool
    /// Addresses → busy spans; an address missing here is "not visible". Nil: can't look at all.
    var others: [String: [DateInterval]]?
    private(set) var busyQueries: [[String]] = []
    /// Every window `events(in:)` was asked for.
    private(set) var windows: [DateInterval] = []

    init(accountID: String, events: [CalendarEvent], canChangeEvents: Bool = true,
         others: [String: [DateInterval]]? = nil, canNotifyAttendees: Bool = true, canCreateAllDayEvents: Bool = true) {
        self.accountID = accountID
        self.canCreateAllDayEvents = canCreateAllDayEvents
        self.canChangeEvents = canChangeEvents
        self.canNotifyAttendees = canNotifyAttendees
        self.others = others
        stored = events.map { event in
            var event = event
            event.accountID = accountID
            return event
        }
    }

    func calendars() -> [CalendarInfo] { [CalendarInfo(id: "primary", name: "Main", isPrimary: true, isWritable: true)] }

    func events(in window: DateInterval) -> [CalendarEvent] {
        windows.append(window)
        return stored.filter { event in
            let span = event.interval(in: .gmt)
            return span.start < window.end && span.end > window.start
        }
    }

    func createEvent(_ draft: EventDraft, calendarID: String?) -> CalendarEvent {
        created.append(draft)
        // Dates for an all-day draft, as calendars store them (exclusive end).
        let start: EventTime = draft.allDay.map { .date($0.lowerBound) } ?? .dateTime(draft.start, timeZone: draft.timeZone)
        let end: EventTime = draft.allDay.map { .date($0.upperBound.adding(days: 1)) } ?? .dateTime(draft.end, timeZone: draft.timeZone)
        let event = CalendarEvent(id: draft.uid, title: draft.title, start: start, end: end, accountID: accountID,
                                  calendarID: calendarID ?? "primary", attendees: draft.attendees)
        stored.append(event)
        return event
    }

    func currentEvent(id: String, calendarID: String, near window: DateInterval) -> CalendarEvent? {
        stored.first { $0.id == id && $0.calendarID == calendarID }
    }

    func moveEvent(id: String, calendarID: String, start: Date, end: Date, timeZone: String,
                   notifyAttendees: Bool) throws -> CalendarEvent {
        guard canChangeEvents else { throw CalendarError.unsupported("this calendar can't move events") }
        moves.append((id, start, end, timeZone, notifyAttendees))
        guard let index = stored.firstIndex(where: { $0.id == id }) else { throw CalendarError("gone") }
        stored[index].start = .dateTime(start, timeZone: timeZone)
        stored[index].end = .dateTime(end, timeZone: timeZone)
        return stored[index]
    }

    func cancelEvent(id: String, calendarID: String, notifyAttendees: Bool) throws {
        guard canChangeEvents else { throw CalendarError.unsupported("this calendar can't cancel events") }
        cancels.append((id, notifyAttendees))
        stored.removeAll { $0.id == id }
    }

    func busyTimes(of people: [String], in window: DateInterval) throws -> [String: Availability] {
        guard let others else { throw CalendarError.unsupported("this calendar can't see other people's availability") }
        busyQueries.append(people)
        var answer: [String: Availability] = [:]
        for person in people { answer[person] = others[person].map { .busy($0) } ?? .unknown("notFound") }
        return answer
    }

    /// Changes an event behind Steward's back (the user edited it elsewhere).
    func edit(_ id: String, _ change: (inout CalendarEvent) -> Void) {
        guard let index = stored.firstIndex(where: { $0.id == id }) else { return }
        change(&stored[index])
    }

    func remove(_ id: String) { stored.removeAll { $0.id == id } }
}

struct FakeDirectory: CalendarDirectory {
    let entries: [(account: Account, provider: any CalendarProvider)]
    func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] { entries }
}

/// One owner, a Berlin zone, a fixed clock (Saturday 21 Nov 2026 10:00) and the given calendars.
struct CoreWorld {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let owner = ChatIdentity(platform: .telegram, userID: "100")
    static let dm = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let now = at(2026, 11, 21, 10)

    let store = MemoryStore()
    let directory: FakeDirectory
    let clock: Date
    let orchestrator: Orchestrator

    init(_ calendars: [(label: String, kind: String, provider: any CalendarProvider)], clock: Date = CoreWorld.now) {
        let entries = calendars.enumerated().map { index, entry in
            (account: Account(id: Int64(index + 1), userID: 1, kind: entry.kind, label: entry.label, options: [:],
                              createdAt: clock), provider: entry.provider)
        }
        directory = FakeDirectory(entries: entries)
        self.clock = clock
        orchestrator = Self.orchestrator(store: store, calendars: directory, clock: clock)
    }

    /// Another orchestrator over this world's store, with what one test adds: other calendars, mail, a
    /// planner, a later clock. Its dependencies are fixed at init, so a test that needs others builds this.
    func orchestrator(calendars: (any CalendarDirectory)? = nil, clock: Date? = nil, mail: (any TriageLog)? = nil,
                      mailSender: (any MailSender)? = nil, replyWriter: (any ReplyWriter)? = nil,
                      freeTextPlanner: (any FreeTextPlanner)? = nil) -> Orchestrator {
        Self.orchestrator(store: store, calendars: calendars ?? directory, clock: clock ?? self.clock, mail: mail,
                          mailSender: mailSender, replyWriter: replyWriter, freeTextPlanner: freeTextPlanner)
    }

    private static func orchestrator(store: MemoryStore, calendars: any CalendarDirectory, clock: Date,
                                      mail: (any TriageLog)? = nil, mailSender: (any MailSender)? = nil,
                                      replyWriter: (any ReplyWriter)? = nil,
                                      freeTextPlanner: (any FreeTextPlanner)? = nil) -> Orchestrator {
        Orchestrator(
            users: store, approvals: store, audit: store, calendars: calendars, status: nil,
            access: AccessPolicy(owners: [Self.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
            digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) + "-\(data.count)" },
            now: { clock }, mail: mail, mailSender: mailSender, replyWriter: replyWriter, freeTextPlanner: freeTextPlanner)
    }

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        Calendar.gregorian(berlin).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func event(_ id: String, _ title: String, _ start: Date, minutes: Int = 60, attendees: [String] = [],
                      fromOthers: Bool = false) -> CalendarEvent {
        CalendarEvent(id: id, title: title, start: .dateTime(start, timeZone: "Europe/Berlin"),
                      end: .dateTime(start.addingTimeInterval(TimeInterval(minutes * 60)), timeZone: "Europe/Berlin"),
                      calendarID: "primary", isFromOthers: fromOthers, attendees: attendees)
    }

    /// Sends one message (or command) from the owner's DM; returns what Steward answered.
    func send(_ kind: InboundEvent.Kind, id: String = UUID().uuidString) async -> [KeyedDelivery] {
        await orchestrator.handle(InboundEvent(id: id, sender: Self.owner, chat: Self.dm, kind: kind, receivedAt: Self.now))
    }

    func say(_ text: String) async -> [KeyedDelivery] { await send(.message(text)) }

    /// Taps a card's button (as Telegram delivers it: with the card's message id).
    func tap(_ token: String) async -> [KeyedDelivery] {
        await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: Self.owner, chat: Self.dm,
                                               kind: .action(token: token), receivedAt: Self.now,
                                               sourceMessageID: "card-1", actionReceipt: "cb-1"))
    }
}

extension [KeyedDelivery] {
    var messages: [OutboundMessage] {
        compactMap {
            switch $0.delivery {
            case .send(_, let message), .edit(_, _, let message): message
            case .answerAction: nil
            }
        }
    }

    /// Every message and button notice, in order.
    var text: String {
        map {
            switch $0.delivery {
            case .send(_, let message), .edit(_, _, let message): message.plainText
            case .answerAction(_, _, let notice): notice
            }
        }.joined(separator: "\n---\n")
    }

    /// The Approve token of the card among the answers.
    var approveToken: String? { messages.flatMap(\.buttons).first { $0.title == "Approve" }?.token }
}
