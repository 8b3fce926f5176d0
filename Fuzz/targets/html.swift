import Foundation
@testable import MailProvider

// The HTML part of a mail, turned into the text triage reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = HTMLText.text(fromHTMLBytes: bytes)
    return 0
}
