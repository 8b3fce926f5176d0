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
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] & 1 == 0 {
        _ = parser.parse(.message(text), context: context)
    } else {
        let name = text.prefix { !$0.isWhitespace }
        let arguments = text.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        _ = parser.parse(.command(name: name.lowercased(), arguments: arguments), context: context)
    }
    return 0
}
