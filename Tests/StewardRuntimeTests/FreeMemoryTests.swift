import Foundation
import Testing
@testable import StewardRuntime

@Suite struct FreeMemoryTests {
    /// Only read-only mappings of a file with no private page qualify: unmapping anything else could drop
    /// state (written data, relocated pointers) or memory that is not the file's.
    @Test func onlyCleanReadOnlyFileMappingsAreReleasable() {
        let smaps = """
        55f78664f000-55f7881f2000 r-xp 00000000 fd:01 1234                       /opt/steward/bin/steward
        Size:              28300 kB
        Rss:               17808 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me
        55f7881f3000-55f7882be000 r--p 01ba3000 fd:01 1234                       /opt/steward/bin/steward
        Rss:                 812 kB
        Anonymous:           812 kB
        55f7882be000-55f7884a4000 rw-p 01c6e000 fd:01 1234                       /opt/steward/bin/steward
        Anonymous:             0 kB
        7f010c000000-7f010c100000 rw-p 00000000 00:00 0
        Anonymous:          1024 kB
        7f010d0de000-7f010d0ea000 r--p 0009e000 fd:01 99                         /usr/lib/with space/libx.so
        Anonymous:             0 kB
        7f010e000000-7f010e001000 r--s 00000000 fd:01 77                         /usr/share/icu/data.dat
        Anonymous:             0 kB
        7f010f000000-7f010f001000 r-xp 00000000 fd:01 55                         /tmp/old (deleted)
        Anonymous:             0 kB
        7ffe14850000-7ffe14852000 r-xp 00000000 00:00 0                          [vdso]
        Anonymous:             0 kB
        """
        #expect(MappedFileRegion.releasable(in: smaps) == [
            MappedFileRegion(start: 0x55f7_8664_f000, end: 0x55f7_881f_2000),
            MappedFileRegion(start: 0x7f01_0d0d_e000, end: 0x7f01_0d0e_a000),
            MappedFileRegion(start: 0x7f01_0e00_0000, end: 0x7f01_0e00_1000),
        ])
        #expect(MappedFileRegion.releasable(in: "") == [])
        #expect(MappedFileRegion.releasable(in: "garbage-line r-xp\nAnonymous: x kB\n\u{0}") == [])
    }

    #if os(Linux)
    /// In this very process: the file pages it had mapped shrink, and the code keeps running (it is mapped
    /// again from the page cache as it is used).
    @Test func releasingMappedFilesShrinksResidentFilePagesAndCodeStillRuns() throws {
        let before = try residentFileKilobytes()
        FreeMemory.releaseMappedFiles()
        let after = try residentFileKilobytes()
        #expect(after < before)
        let encoded = try JSONEncoder().encode(["still": "running"])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"still":"running"}"#)
    }

    private func residentFileKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(line.split(separator: " ").dropFirst().first.flatMap { Int($0) })
    }
    #endif
}
