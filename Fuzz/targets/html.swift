import Foundation
@testable import MailProvider

// The HTML part of a mail, turned into the text triage reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    _ = HTMLText.text(fromHTMLBytes: Array(input))
    SuperLinear.check(input) { _ = HTMLText.text(fromHTMLBytes: $0) }
    return 0
}
