import Foundation
@testable import MailProvider

// Whole messages as Gmail's `format=raw` hands them over: any bytes, any structure.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let message = MailParser.parse(bytes, id: "fuzz", threadID: "t", labels: ["INBOX"])
    _ = message.subject.count + message.body.count
    return 0
}
