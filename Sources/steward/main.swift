#if canImport(Glibc)
import Glibc
#endif
import StewardApp

#if canImport(Glibc)
// glibc gives each busy thread its own malloc arena and keeps freed memory in each; Steward's work is
// small and bursty, so two arenas hold the same load in less resident memory. An explicit
// MALLOC_ARENA_MAX in the environment wins. `mallopt` lives in <malloc.h>, which Swift's Glibc module
// does not export, hence the lookup.
if getenv("MALLOC_ARENA_MAX") == nil, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8  // M_ARENA_MAX
    _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMax, 2)
}
#endif

await StewardCommand.runMain()
