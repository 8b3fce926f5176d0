import Foundation
@testable import StewardCore

// What a user types after `/free`, `/book`, `/move`: dates, times, spans, durations.
private let context = ParseContext(now: Date(timeIntervalSince1970: 1_780_000_000),
                                   timeZone: TimeZone(identifier: "America/New_York")!)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    parse(Array(input))
    SuperLinear.check(input, parse)
    return 0
}

private func parse(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let parser = TimeExpressionParser(context: context)
    _ = parser.parse(text)
    _ = parser.parseInstant(text)
    _ = TimeExpressionParser.parseTimeOfDay(text)
    _ = DurationParser.minutes(text)
}
