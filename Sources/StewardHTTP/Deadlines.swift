import AsyncHTTPClient
import NIOCore
import StewardCore

/// Many requests' deadlines on one timer, so that starting and finishing a request wakes no other thread.
///
/// A timer per request (`EventLoop.scheduleTask`, cancelled when the request ends) costs two hand-offs to
/// an event loop per request, from whatever thread sends it: at 200 Telegram updates a second that was an
/// event-loop thread woken three or four times per update for nothing else (Benchmarks/README.md, "Third
/// pass"). Here a request only adds its deadline to a table and takes it out again, under a lock. One alarm
/// stands for the earliest deadline; it is moved only when a request arrives with an earlier one (a short
/// send after a long poll started), and when it rings it ends what expired and sets itself, from the loop's
/// own thread, for the earliest left. Most requests end long before their deadline, so at a steady rate the
/// alarm rings about once per timeout, not once per request.
final class Deadlines: Sendable {
    private struct State {
        var next: UInt64 = 0
        var waiting: [UInt64: (deadline: NIODeadline, expire: @Sendable () -> Void)] = [:]
        /// When the earliest alarm set rings (an alarm set earlier for a later time rings too, and finds nothing).
        var alarm: NIODeadline?
    }

    private let state = Locked(State())
    private let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// On one loop of the event loops every `AsyncHTTPTransport` shares.
    convenience init() {
        self.init(loop: HTTPClient.defaultEventLoopGroup.next())
    }

    /// Calls `expire` once `deadline` has passed, unless `remove` came first. Returns the entry's id.
    func add(_ deadline: NIODeadline, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, ring) = state.withLock { state -> (UInt64, Bool) in
            state.next += 1
            state.waiting[state.next] = (deadline, expire)
            guard state.alarm.map({ deadline < $0 }) ?? true else { return (state.next, false) }
            state.alarm = deadline
            return (state.next, true)
        }
        if ring { setAlarm(deadline) }
        return id
    }

    /// The request ended: its deadline no longer matters (the alarm is left as it is).
    func remove(_ id: UInt64) {
        _ = state.withLock { $0.waiting.removeValue(forKey: id) }
    }

    /// Entries waiting (for tests).
    var count: Int { state.withLock { $0.waiting.count } }

    private func setAlarm(_ deadline: NIODeadline) {
        loop.scheduleTask(deadline: deadline) { self.ring() }
    }

    /// On the loop's thread: ends what expired and sets the alarm for the earliest deadline left.
    private func ring() {
        let now = NIODeadline.now()
        let (expired, next) = state.withLock { state -> ([@Sendable () -> Void], NIODeadline?) in
            var expired: [@Sendable () -> Void] = []
            var earliest: NIODeadline?
            for (id, entry) in state.waiting {
                if entry.deadline <= now {
                    expired.append(entry.expire)
                    state.waiting.removeValue(forKey: id)
                } else if earliest.map({ entry.deadline < $0 }) ?? true {
                    earliest = entry.deadline
                }
            }
            // An alarm already set for a time still to come rings for what is due by then.
            if let alarm = state.alarm, alarm > now, let found = earliest, alarm <= found { return (expired, nil) }
            state.alarm = earliest
            return (expired, earliest)
        }
        expired.forEach { $0() }
        if let next { setAlarm(next) }
    }
}
