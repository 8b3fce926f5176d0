import Foundation

/// The accounts and providers of one user, as the composition root assembled them.
public protocol CalendarDirectory: Sendable {
    /// Every connected calendar account of `user` with its provider, in the order they were connected.
    func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)]
}

/// Lines for `/status` that only the running app knows (poll health, outbox, uptime).
public protocol StatusSource: Sendable {
    func statusLines() async -> [String]
    /// The same lines with times in `zone`, the asking user's.
    func statusLines(in zone: TimeZone) async -> [String]
}

extension StatusSource {
    public func statusLines(in zone: TimeZone) async -> [String] { await statusLines() }
}

/// Who may talk to Steward, from `STEWARD_OWNERS` / `STEWARD_ALLOWED_USERS` (the console user is an owner).
public struct AccessPolicy: Sendable {
    public var owners: Set<ChatIdentity>
    public var allowed: Set<ChatIdentity>
    public var defaultTimeZone: String

    public init(owners: Set<ChatIdentity>, allowed: Set<ChatIdentity>, defaultTimeZone: String) {
        self.owners = owners
        self.allowed = allowed
        self.defaultTimeZone = defaultTimeZone
    }

    public func role(of identity: ChatIdentity) -> User.Role? {
        if owners.contains(identity) { return .owner }
        if allowed.contains(identity) { return .member }
        return nil
    }
}

/// Turns one inbound event into the deliveries that answer it.
///
/// Guarantees: an unknown identity gets one refusal in total and no data; a risky action is stored as an
/// `ApprovalRequest` before its card exists and runs only after its owner approves, at most once; the same
/// event handled twice (a crash before it was marked processed) produces the same delivery keys and the
/// same approval id, so nothing is sent or requested twice.
public struct Orchestrator: Sendable {
    public let users: any UserRepository
    public let approvals: any ApprovalRepository
    public let audit: any AuditLog
    public let calendars: any CalendarDirectory
    public let status: (any StatusSource)?
    public let access: AccessPolicy
    /// SHA-256 of data, hex (the core has no crypto of its own).
    public let digest: @Sendable (Data) -> String
    public let now: @Sendable () -> Date
    /// How long a card waits for its answer before it expires.
    public let approvalLifetime: TimeInterval
    /// What each chat platform can do, as its adapter declared it.
    public let channels: PlatformKinds
    /// The account kinds this server knows, for wording `/connect`, `/accounts` and `/inbox`.
    public let accountKinds: AccountKinds
    /// `/help`'s answer, worded once from the registered kinds: it is the most common command, and the
    /// registration never changes while the process runs.
    let helpText: String
    /// Starts `/connect <kind>`; nil when no provider can be connected from chat.
    public let connector: (any AccountConnector)?
    /// Triaged mail, for `/inbox` and the digest; nil when mail isn't set up.
    public let mail: (any TriageLog)?
    /// Sends approved replies; nil when mail isn't set up.
    public let mailSender: (any MailSender)?
    /// Writes the text of an alert's Draft reply; nil: a short template.
    public let replyWriter: (any ReplyWriter)?
    /// Shows the planner's steps while it works; nil: only "typing…".
    public let planningProgress: (any PlanningProgress)?
    /// The LLM planner for free text the parser does not understand; nil = parser only.
    public let freeTextPlanner: (any FreeTextPlanner)?
    /// Reminders and no-reply follow-ups; nil: they are declined in one line.
    public let followUps: (any FollowUpRepository)?
    /// The mailboxes a no-reply follow-up watches; nil when no mail is connected.
    public let followUpMail: (any FollowUpMail)?
    /// Plans of many steps (bulk changes); nil: such requests are declined in one line.
    public let plans: (any PlanRepository)?
    /// Edits a running plan's card with its progress; nil: the card shows only the final outcome.
    public let planProgress: (any PlanProgressSink)?
    /// What the person asked Steward to remember (`/remember`, `/memory`, `/forget`); nil: not available.
    public let memory: (any MemoryRepository)?

    /// The parser, knowing which account kinds `/connect` takes.
    var parser: IntentParser { IntentParser(accountKinds: accountKinds) }

    public init(users: any UserRepository, approvals: any ApprovalRepository, audit: any AuditLog,
                calendars: any CalendarDirectory, status: (any StatusSource)?, access: AccessPolicy,
                digest: @escaping @Sendable (Data) -> String, now: @escaping @Sendable () -> Date,
                channels: PlatformKinds = PlatformKinds(), accountKinds: AccountKinds = AccountKinds(),
                connector: (any AccountConnector)? = nil, mail: (any TriageLog)? = nil,
                mailSender: (any MailSender)? = nil, replyWriter: (any ReplyWriter)? = nil,
                planningProgress: (any PlanningProgress)? = nil, freeTextPlanner: (any FreeTextPlanner)? = nil,
                followUps: (any FollowUpRepository)? = nil, followUpMail: (any FollowUpMail)? = nil,
                approvalLifetime: TimeInterval = 24 * 3600, plans: (any PlanRepository)? = nil,
                planProgress: (any PlanProgressSink)? = nil, memory: (any MemoryRepository)? = nil) {
        self.users = users
        self.approvals = approvals
        self.audit = audit
        self.calendars = calendars
        self.status = status
        self.access = access
        self.digest = digest
        self.now = now
        self.channels = channels
        self.accountKinds = accountKinds
        helpText = Self.helpText(accountKinds)
        self.connector = connector
        self.mail = mail
        self.mailSender = mailSender
        self.replyWriter = replyWriter
        self.planningProgress = planningProgress
        self.freeTextPlanner = freeTextPlanner
        self.followUps = followUps
        self.followUpMail = followUpMail
        self.approvalLifetime = approvalLifetime
        self.plans = plans
        self.planProgress = planProgress
        self.memory = memory
    }

    public func handle(_ event: InboundEvent) async -> [KeyedDelivery] {
        var reply = Reply(event: event, channel: channels[event.chat.platform])
        do {
            guard let profile = try await resolveUser(event, reply: &reply) else { return reply.deliveries }
            try await handle(event, from: profile, reply: &reply)
        } catch {
            // An error's text may name a calendar URL or an address: it goes where details go.
            reply.sayPrivately("Something went wrong on my side: \(error). Nothing was changed; please try again.")
        }
        // A platform that can't replace a sent message gets the new content as a new message.
        return reply.deliveries.map {
            KeyedDelivery(key: $0.key, delivery: channels.adapted($0.delivery), afterSend: $0.afterSend)
        }
    }

    /// Finds (or creates on first contact) the user behind the sender; refuses unknown identities once.
    private func resolveUser(_ event: InboundEvent, reply: inout Reply) async throws -> SenderProfile? {
        // The configuration names the owners and allowed people; others may have been let in since.
        var configured = access.role(of: event.sender)
        if configured == nil { configured = try await users.grantedRole(of: event.sender) }
        // With no owner yet, the one-use owner code `steward run` printed makes its sender the owner.
        let owning = OwnerCodeHandler(users: users, access: access, now: now())
        if configured == nil, try await owning.claim(event, reply: &reply) { return nil }
        // An identity that came in by `/link` has its person's role; a newcomer may send a link code.
        if configured == nil {
            if try await linkHandler.claim(event, reply: &reply) { return nil }
            configured = try await linkHandler.linkedRole(of: event.sender)
        }
        guard let role = configured else {
            // A tap is always acknowledged (or the button spins), but it carries no data.
            if let receipt = event.actionReceipt {
                reply.append(.answerAction(platform: event.chat.platform, receipt: receipt, text: "Not available."),
                             key: "\(event.id)#answer")
            }
            if try await users.recordRefusal(of: event.sender, at: now()) {
                // Pairing: a code for them, and a card asking the owner to let them in.
                try await PairingHandler(users: users, access: access, gate: gate).pair(event, reply: &reply)
                try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: "refused",
                                                  outcome: "refused"))
            }
            return nil
        }
        // Read first: creating (a write) is needed only on first contact or when the configured role changed.
        var profile: SenderProfile
        if let known = try await users.profile(for: event.sender), known.user.role == role {
            profile = known
        } else {
            let user = try await users.ensureUser(
                identity: event.sender, displayName: event.senderName ?? event.sender.description, role: role,
                defaultSettings: UserSettings(timeZone: access.defaultTimeZone))
            profile = SenderProfile(user: user, homeChat: try await users.homeChat(of: user.id),
                                    settings: try await users.settings(of: user.id))
        }
        // A private message records the DM as the identity's private chat and, unless the person pinned the
        // home to another platform (`/settings home`), as the home chat for proactive pushes: the private chat
        // used last. A slash command (it carries a reply route) may come from a DM between two people, where
        // the bot can't write, so it never does.
        if event.chat.isPrivate, channels[event.chat.platform].keepsHomeChat, event.replyRoute == nil {
            try await linkHandler.notePrivateChat(event, profile: &profile)
        }
        return profile
    }

    private func handle(_ event: InboundEvent, from profile: SenderProfile, reply: inout Reply) async throws {
        let user = profile.user
        // A slash command's chat may be a DM between two people (the bot isn't in it): its cards go to the
        // sender's own DM with the bot, like a group's.
        if !event.chat.isPrivate || event.replyRoute != nil, let home = profile.homeChat {
            if home.chat.platform != event.chat.platform {
                // A linked person whose home is on another platform: this identity's own DM, when it has one.
                reply.directChat = try await linkHandler.privateChat(of: event.sender)
            } else if home.isActive {
                reply.directChat = home.chat
            }
        }
        if case .action(let token) = event.kind {
            return try await handleButton(token: token, event: event, user: user, reply: &reply)
        }
        // Right after an Edit tap, the owner's next message is the reply's corrected text, whatever it says.
        if case .message(let text) = event.kind, profile.replyDraftsPending != false,
           try await takeCorrectedReply(text, event: event, user: user, reply: &reply) { return }
        // A bare number or "yes" answers a card, and only a card that is waiting.
        if case .message(let text) = event.kind, let answer = TypedAnswer(text) {
            return try await answerTyped(answer, event: event, user: user, reply: &reply)
        }
        let settings = profile.settings
        let context = ParseContext(now: now(), timeZone: settings.zone)
        let intent = parser.parse(event.kind, context: context)
        try await perform(intent, event: event, user: user, settings: settings, reply: &reply)
    }
}

/// Collects an event's answers and gives each a stable idempotency key.
struct Reply {
    let event: InboundEvent
    /// What the platform the event came from can do.
    let channel: ChannelCapabilities
    private(set) var deliveries: [KeyedDelivery] = []

    /// The sender's DM on this platform, when they have one with Steward (needed to answer a group ask).
    var directChat: ChatRef?

    init(event: InboundEvent, channel: ChannelCapabilities = .basic) {
        self.event = event
        self.channel = channel
    }

    /// True when the chat is the sender's own DM with Steward. A slash command's private chat may be a
    /// DM between two people, which the bot can't write to (a platform with ephemeral replies answers it in place, to the sender only).
    var isOwnDM: Bool { event.chat.isPrivate && event.replyRoute == nil }

    /// Where details and cards go: the chat itself when it is the sender's DM; otherwise the sender's DM.
    var privateChat: ChatRef {
        isOwnDM ? event.chat
            : directChat ?? ChatRef(platform: event.chat.platform, chatID: event.sender.userID, isPrivate: true)
    }

    /// Says `text` where it was asked: for answers that name nothing of the sender's (help, usage, hints).
    mutating func say(_ text: String, title: String? = nil) {
        send(OutboundMessage(title: title, text: text), to: event.chat)
    }

    /// `say` for text that names the sender's data: in a group it goes to their DM.
    mutating func sayPrivately(_ text: String, title: String? = nil) {
        sayPrivately(OutboundMessage(title: title, text: text))
    }

    /// Calendar and mail details: in a group they go to the sender's DM, with a short pointer in the group.
    mutating func sayPrivately(_ message: OutboundMessage, key: String? = nil) {
        // An answer in place that only the sender sees (an ephemeral reply) is private already;
        // cards are not sent that way: they must stay editable.
        if event.replyRoute != nil, message.buttons.isEmpty { return send(message, to: event.chat, key: key) }
        // Some platforms let a bot open a DM with anyone in its workspace; others only let a bot write to
        // people who opened a chat with it first.
        if !isOwnDM, directChat == nil, !channel.opensPrivateChats {
            say("I answer this in a private chat, and you haven't started one with me yet: open a chat with me, "
                + "send /start, then ask again.")
            return
        }
        if !isOwnDM {
            send(OutboundMessage(text: "I've sent you the details in a private message."), to: event.chat)
        }
        send(message, to: privateChat, key: key)
    }

    /// Answers a button tap with a short notice (the platform's spinner stops), or says it in the chat
    /// when the choice was typed.
    mutating func acknowledge(_ notice: String) {
        if let receipt = event.actionReceipt {
            append(.answerAction(platform: event.chat.platform, receipt: receipt, text: notice), key: "\(event.id)#answer")
        } else {
            say(notice)
        }
    }

    mutating func send(_ message: OutboundMessage, to chat: ChatRef, key: String? = nil) {
        var message = message
        if chat == event.chat, message.buttons.isEmpty { message.replyRoute = event.replyRoute }
        append(.send(chat: chat, message: message), key: key)
    }

    mutating func append(_ delivery: Delivery, key: String? = nil) {
        deliveries.append(KeyedDelivery(key: key ?? "\(event.id)#\(deliveries.count)", delivery: delivery))
    }

    /// Notes on the delivery stored under `key` what the outbox records once it is sent.
    mutating func note(_ afterSend: AfterSend, onKey key: String) {
        if let index = deliveries.lastIndex(where: { $0.key == key }) { deliveries[index].afterSend = afterSend }
    }
}
