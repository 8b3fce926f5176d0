import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What setting up a test's world on this machine can fail with (no socket, no file).
public struct TestSetupFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now, picked by the kernel (a bind to port 0). A
/// random pick could land on a port the fakes or another test just took, and the binary would fail to bind.
public func freeLoopbackPort() throws -> Int {
    #if os(Linux)
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let socketFD = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard socketFD >= 0 else { throw TestSetupFailure("no socket for a free port: errno \(errno)") }
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let found = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
        }
    }
    guard found else { throw TestSetupFailure("no free loopback port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A calendar file with one meeting tomorrow 10:00–11:00 Berlin time ("Design review"), written as a user's
/// export would be, as `work.ics` in `directory`.
public func writeCalendar(in directory: URL, now: Date = Date()) throws -> URL {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
    let tomorrow = calendar.date(byAdding: .day, value: 1, to: now)!
    let day = calendar.dateComponents([.year, .month, .day], from: tomorrow)
    let stamp = String(format: "%04d%02d%02d", day.year!, day.month!, day.day!)
    let text = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Test//Test//EN\r
        BEGIN:VEVENT\r
        UID:review-1@example.com\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Europe/Berlin:\(stamp)T100000\r
        DTEND;TZID=Europe/Berlin:\(stamp)T110000\r
        SUMMARY:Design review\r
        END:VEVENT\r
        END:VCALENDAR\r

        """
    let file = directory.appendingPathComponent("work.ics")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
}
