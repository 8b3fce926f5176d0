import Foundation
@testable import StewardCore

// A chat message or command as any sender may type it. The first byte picks the shape: free text, or a
// command whose name is the first word.
private let context = ParseContext(now: Date(timeIntervalSince1970: 1_780_000_000),
                                   timeZone: TimeZone(identifier: "Asia/Kolkata")!)
private let parser = IntentParser()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntent(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let isCommand = data[0] & 1 == 1
    let input = UnsafeBufferPointer(start: data + 1, count: size - 1)
    parse(Array(input), isCommand: isCommand)
    SuperLinear.check(input) { parse($0, isCommand: isCommand) }
    return 0
}

private func parse(_ bytes: [UInt8], isCommand: Bool) {
    let text = String(decoding: bytes, as: UTF8.self)
    if isCommand {
        let name = text.prefix { !$0.isWhitespace }
        let arguments = text.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        _ = parser.parse(.command(name: name.lowercased(), arguments: arguments), context: context)
    } else {
        _ = parser.parse(.message(text), context: context)
    }
}
