import Foundation

// A custom mutator that, now and then, repeats a short slice of the input until the input is as long as
// allowed. libFuzzer's own mutations keep inputs small and varied, so they rarely build what makes a
// parser super-linear: thousands of one construct (`<a<a<a…`, `@bot @bot…`, nested parts). A stretched
// input that takes longer than `-timeout` is reported like a hang. Every other time the input goes to
// libFuzzer's mutations unchanged.

@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

private let constructStarts: Set<UInt8> = Set("<@={[/ ".utf8)

@_cdecl("LLVMFuzzerCustomMutator")
public func stretchMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var random = seed &* 2_654_435_761
    func next(_ bound: Int) -> Int {
        random ^= random << 13
        random ^= random >> 17
        random ^= random << 5
        return Int(random % UInt32(max(bound, 1)))
    }
    guard size > 0, maxSize > size, next(64) == 0 else { return libFuzzerMutate(data, size, maxSize) }
    var start = next(size)
    // Half the time the slice starts where a construct does (`<`, `@`, `=`, `{`, `[`, `/`, a space), so
    // the copies are whole tags, mentions, encoded words and the like rather than their middles.
    if next(2) == 0, let mark = (start..<size).first(where: { constructStarts.contains(data[$0]) }) { start = mark }
    let length = 1 + next(min(32, size - start))
    let copies = (maxSize - size) / length
    guard copies > 0 else { return libFuzzerMutate(data, size, maxSize) }
    let tail = size - start - length
    memmove(data + start + length * (copies + 1), data + start + length, tail)
    for copy in 1...copies { memcpy(data + start + length * copy, data + start, length) }
    return size + length * copies
}
