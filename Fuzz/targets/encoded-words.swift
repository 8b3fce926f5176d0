import Foundation
@testable import MailProvider

// RFC 2047 encoded words in a header value (Subject, From display names).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEncodedWords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let value = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = EncodedWords.decode(value)
    return 0
}
