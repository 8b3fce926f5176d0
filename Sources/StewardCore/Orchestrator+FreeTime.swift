import Foundation

/// The search behind `/free 30m tomorrow [with a@x.com,b@y.com]` and the planner's `calendar_find_free_slots`:
/// the owner's events from every calendar, other people's busy times from the first calendar service that can
/// see them, and a note naming anyone whose calendar could not be seen, so a slot is never presented as
/// suiting someone it was not checked for.
public struct FreeTimeSearch: Sendable {
    public let calendars: any CalendarDirectory
    public let now: Date
    /// The registered account kinds: the note names one that can see other people's calendars.
    public let kinds: AccountKinds

    public init(calendars: any CalendarDirectory, now: Date, kinds: AccountKinds = AccountKinds()) {
        self.calendars = calendars
        self.now = now
        self.kinds = kinds
    }

    /// Up to five slots in `within` (default: the next seven days), earliest first.
    public func slots(minutes: Int, within: DateInterval?, attendees: [String], user: User.ID,
                      settings: UserSettings) async throws -> (slots: [DateInterval], others: OthersAvailability, warnings: String) {
        let window = within ?? DateInterval(start: now, duration: 7 * 86_400)
        let (events, warnings) = try await calendars.events(of: user, in: window)
        var others = attendees.isEmpty ? OthersAvailability() : try await availability(of: attendees, in: window, user: user)
        others.seeingKind = kinds.first(with: .othersFreeBusy).map { $0.displayName ?? $0.name }
        let slots = FreeSlotFinder.find(FreeSlotRequest(
            window: window, minutes: minutes, ownEvents: events, othersBusy: others.busy, settings: settings,
            now: now, limit: 5))
        return (slots, others, warnings)
    }

    /// Other people's busy times as far as the user's calendars could tell.
    public struct OthersAvailability: Sendable {
        public var busy: [DateInterval] = []
        /// People whose busy times are in `busy`, in the order asked.
        public var seen: [String] = []
        public var unseen: [String] = []
        /// False when none of the user's calendars can look at other people's.
        public var canAsk = false
        /// The registered kind of account that could (its name as users know it), for the note; nil: none.
        public var seeingKind: String?

        public var note: String {
            guard canAsk else {
                let needs = seeingKind.map { "needs \(Self.article($0)) \($0) account" } ?? "can't be seen from your calendars"
                return "(Other people's availability \(needs); these are your own free times.)"
            }
            guard !unseen.isEmpty else {
                return "Checked against the calendar\(seen.count == 1 ? "" : "s") of \(Self.list(seen))."
            }
            let whose = Self.list(unseen.map { "\($0)'s" }) + (unseen.count == 1 ? " calendar" : " calendars")
            let covered = seen.isEmpty ? "your own calendars"
                : "your calendars and " + Self.list(seen.map { "\($0)'s" })
            return "Couldn't see \(whose); these slots only account for \(covered)."
        }

        /// "a" or "an", by the name's first letter (good enough for provider names).
        static func article(_ name: String) -> String {
            name.first.map { "AEIOUaeiou".contains($0) } == true ? "an" : "a"
        }

        /// `a`, `a and b`, `a, b and c`.
        static func list(_ items: [String]) -> String {
            guard items.count > 1 else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// Asks the user's calendars in the order they were connected; the first that can see other people
    /// answers, and anyone it could not see is asked of the next.
    func availability(of people: [String], in window: DateInterval, user: User.ID) async throws -> OthersAvailability {
        var result = OthersAvailability()
        var remaining = people
        for (_, provider) in try await calendars.calendars(of: user) where !remaining.isEmpty {
            let answers: [String: Availability]
            do {
                answers = try await provider.busyTimes(of: remaining, in: window)
            } catch let error as CalendarError where error.isUnsupported {
                continue
            } catch {
                // It can look, but failed this time: those people stay unseen unless another account answers.
                result.canAsk = true
                continue
            }
            result.canAsk = true
            for person in remaining {
                guard case .busy(let spans)? = answers[person] else { continue }
                result.busy += spans
                result.seen.append(person)
            }
            remaining.removeAll { result.seen.contains($0) }
        }
        result.seen = people.filter { result.seen.contains($0) }
        result.unseen = remaining
        return result
    }
}

extension CalendarDirectory {
    /// Events of every connected calendar of `user` in `span`, sorted; a calendar that fails is named in
    /// `warnings`, not fatal, and a copy that may be stale says so there.
    public func events(of user: User.ID, in span: DateInterval) async throws -> (list: [CalendarEvent], warnings: String) {
        var list: [CalendarEvent] = []
        var problems: [String] = [], stale: [String] = []
        for (account, provider) in try await calendars(of: user) {
            do {
                list += try await provider.events(in: span)
                if let note = await provider.stalenessNote() { stale.append("\(account.label): \(note)") }
            } catch {
                problems.append("\(account.label): \(error)")
            }
        }
        list.sort { ($0.start.instant(in: .gmt), $0.title) < ($1.start.instant(in: .gmt), $1.title) }
        var warnings = problems.isEmpty ? "" : "\n\n⚠︎ Couldn't read: " + problems.joined(separator: "; ")
        if !stale.isEmpty { warnings += "\n\n⚠︎ Possibly out of date: " + stale.joined(separator: "; ") }
        return (list, warnings)
    }
}
