import Foundation
@testable import MailProvider

// RFC 2047 encoded words in a header value (Subject, From display names).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEncodedWords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    _ = EncodedWords.decode(String(decoding: input, as: UTF8.self))
    SuperLinear.check(input) { _ = EncodedWords.decode(String(decoding: $0, as: UTF8.self)) }
    return 0
}
