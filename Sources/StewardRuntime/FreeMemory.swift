import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands memory the process holds but no longer uses back to the system, so resident memory follows the
/// current load rather than the biggest burst since start. Elsewhere than Linux it does nothing.
public enum FreeMemory {
    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    // `malloc_trim` lives in <malloc.h>, which Swift's Glibc module does not export, hence the lookup.
    nonisolated(unsafe) private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }
    #endif

    /// Freed heap (glibc's `malloc_trim`) and the clean pages of mapped files (see `releaseMappedFiles`).
    public static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
        releaseMappedFiles()
    }

    /// Unmaps the pages of mapped files — Steward's code, the libraries', their read-only data — that hold
    /// nothing but the file's own bytes; the next use maps them again from the page cache (a minor fault).
    ///
    /// Why: the kernel maps file pages in large folios (here up to 4 MB of contiguous code per touch, read
    /// off `/proc/self/pagemap`), so the code that starting up touched once — the migrations, the
    /// configuration, every type the runtime scanned — stayed mapped and was 40 of the 46 MB resident at
    /// rest. Only mappings that cannot be written and that hold no private (copied-on-write) page qualify
    /// (`MappedFileRegion.releasable`), so no byte of state can be dropped.
    public static func releaseMappedFiles() {
        #if os(Linux)
        guard let smaps = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8) else { return }
        for region in MappedFileRegion.releasable(in: smaps) {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: region.start), Int(region.end - region.start), MADV_DONTNEED)
        }
        #endif
    }
}

/// One mapping of `/proc/self/smaps` that `FreeMemory.releaseMappedFiles` may unmap.
public struct MappedFileRegion: Equatable, Sendable {
    public let start: UInt
    public let end: UInt

    /// The mappings of a file that are readable, not writable, and hold no anonymous page: every resident
    /// page of them is the file's own, kept in the page cache. Anything else — the heap, stacks, written
    /// data, relocated tables (RELRO pages are private copies), `[vdso]` — is left alone.
    public static func releasable(in smaps: String) -> [MappedFileRegion] {
        var regions: [MappedFileRegion] = []
        var candidate: MappedFileRegion?
        func close() {
            if let region = candidate { regions.append(region) }
            candidate = nil
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                close()
                candidate = header
            } else if candidate != nil, line.hasPrefix("Anonymous:") {
                let kilobytes = line.dropFirst("Anonymous:".count).split(separator: " ").first.flatMap { Int($0) }
                if kilobytes != 0 { candidate = nil }
            }
        }
        close()
        return regions
    }

    /// `start-end perms offset dev inode path` for a read-only mapping of a file, else nil. Lines of
    /// fields (`Rss:   12 kB`) never start with a hexadecimal range followed by a space.
    private static func header(_ line: Substring) -> MappedFileRegion?? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
              let start = UInt(fields[0][..<dash], radix: 16),
              let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16), end > start else { return nil }
        let perms = Array(fields[1].utf8)
        let path = fields.count == 6 ? fields[5].trimmingCharacters(in: .whitespaces) : ""
        guard perms.count == 4, perms[0] == UInt8(ascii: "r"), perms[1] == UInt8(ascii: "-"),
              path.hasPrefix("/"), !path.hasSuffix(" (deleted)") else { return .some(nil) }
        return .some(MappedFileRegion(start: start, end: end))
    }
}
