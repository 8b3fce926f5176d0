#if canImport(Glibc)
import Glibc
#endif

/// Returns freed heap memory to the operating system (glibc's `malloc_trim`), so resident memory
/// follows the current load rather than the biggest burst since start. Elsewhere it does nothing.
enum FreeMemory {
    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    // `malloc_trim` lives in <malloc.h>, which Swift's Glibc module does not export, hence the lookup.
    nonisolated(unsafe) private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }
    #endif

    static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
