import Foundation
@testable import MailProvider

// Whole messages as Gmail's `format=raw` hands them over: any bytes, any structure.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    parse(Array(input))
    SuperLinear.check(input, parse)
    return 0
}

private func parse(_ bytes: [UInt8]) {
    let message = MailParser.parse(bytes, id: "fuzz", threadID: "t", labels: ["INBOX"])
    _ = message.subject.count + message.body.count
}
