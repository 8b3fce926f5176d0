import Foundation
import StewardHTTP
import Testing

/// Sorting remote failures into the few classes `/metrics` counts (and callers act on).
@Suite struct MeasuredTransportTests {
    @Test(arguments: [
        (200, nil), (304, nil), (401, "unauthorized"), (403, "unauthorized"), (404, "not_found"), (410, "not_found"),
        (429, "rate_limited"), (400, "rejected"), (422, "rejected"), (500, "server"), (503, "server"),
    ] as [(Int, String?)])
    func statusesFallIntoClasses(status: Int, expected: String?) {
        #expect(MeasuredTransport.errorClass(status: status) == expected)
    }

    @Test func failuresWithoutAnAnswerAreTimeoutsOrNetwork() {
        #expect(MeasuredTransport.errorClass(of: HTTPTransportError.timeout()) == "timeout")
        #expect(MeasuredTransport.errorClass(of: HTTPTransportError.connection()) == "network")
        #expect(MeasuredTransport.errorClass(of: CancellationError()) == "cancelled")
    }
}
