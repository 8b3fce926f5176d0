import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What setting up a test's world on this machine can fail with (no socket, no file).
public struct TestSetupFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now, for a binary the test starts to bind later.
///
/// Picked below the kernel's ephemeral range: a port the kernel handed out for a bind to port 0 (and closed
/// again) goes back into that range, where the fakes' listeners and every outgoing connection of the
/// parallel tests draw theirs, and one of them took it before the binary bound it ("Address already in
/// use", seen in CI). Below the range only other picks from here compete, and each is checked free.
public func freeLoopbackPort() throws -> Int {
    let ephemeralStart = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))
        .flatMap { $0.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } } ?? 32_768
    if ephemeralStart > 11_000 {
        for _ in 0..<64 {
            let port = Int.random(in: 10_000..<ephemeralStart)
            if try bindLoopback(port: port) != nil { return port }
        }
    }
    guard let port = try bindLoopback(port: 0) else { throw TestSetupFailure("no free loopback port: errno \(errno)") }
    return port
}

/// Binds a socket to 127.0.0.1:`port` (0: the kernel picks) and closes it; the port bound, or nil when taken.
private func bindLoopback(port: Int) throws -> Int? {
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
    address.sin_port = UInt16(port).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
        }
    }
    return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
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
