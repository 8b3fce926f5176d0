import Foundation
@testable import StewardCore

// A fact as anyone may word it (the owner's /remember, a model's memory_save from a mail): the instruction
// screening on its card, the contradiction rule against earlier facts, and a link code typed as text.
private let earlier: [MemoryFact] = [
    "call me Ada", "my working hours are 9-17", "I prefer meetings after 10", "my dentist is Dr Brown",
    "I like sushi", "keep 15 minutes between meetings",
].enumerated().map { index, text in
    MemoryFact(id: Int64(index + 1), userID: 1, text: text, source: .owner, status: .active,
               createdAt: Date(timeIntervalSince1970: 1_780_000_000))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMemoryText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    read(Array(input))
    SuperLinear.check(input, read)
    return 0
}

private func read(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = FactScreening.flags(text)
    _ = FactContradiction.replaced(by: text, among: earlier)
    _ = earlier.map { FactContradiction.repeats(text, $0) }
    _ = LinkHandler.typedCode(text)
}
