import Crypto
import Foundation

/// Checks that an HTTP request really comes from Slack, as Slack documents ("Verifying requests from
/// Slack"): `X-Slack-Signature` must be `v0=` + hex HMAC-SHA256, keyed with the signing secret, over
/// `v0:{X-Slack-Request-Timestamp}:{raw body}`. Guarantees:
/// - the comparison takes the same time wherever the first differing byte is;
/// - a timestamp more than `tolerance` (5 minutes) away from now, in the past *or* the future, is
///   refused, so a captured request cannot be replayed later;
/// - an empty signing secret verifies nothing.
public struct SlackSignatureVerifier: Sendable {
    public static let signatureHeader = "X-Slack-Signature"
    public static let timestampHeader = "X-Slack-Request-Timestamp"

    public enum Refusal: Error, Sendable, Equatable {
        case missingHeaders, staleTimestamp, badSignature
    }

    /// The HMAC with the signing secret already mixed in: each request starts from a copy (copy-on-write
    /// hash state) instead of padding and hashing the key again.
    private let keyed: HMAC<SHA256>
    private let isConfigured: Bool
    private let tolerance: TimeInterval
    private let now: @Sendable () -> Date

    /// - Parameter now: the clock; tests pin it to Slack's documented example.
    public init(signingSecret: String, tolerance: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(signingSecret.utf8)))
        self.isConfigured = !signingSecret.isEmpty
        self.tolerance = tolerance
        self.now = now
    }

    /// Throws a `Refusal` unless `signature` is Slack's for `timestamp` and `body`.
    public func verify(signature: String?, timestamp: String?, body: Data) throws(Refusal) {
        guard isConfigured, let signature, let timestamp, let seconds = Double(timestamp) else { throw .missingHeaders }
        guard abs(now().timeIntervalSince1970 - seconds) <= tolerance else { throw .staleTimestamp }
        guard Self.constantTimeEquals(signature, self.signature(timestamp: timestamp, body: body)) else { throw .badSignature }
    }

    /// True when the request verifies.
    public func isValid(signature: String?, timestamp: String?, body: Data) -> Bool {
        (try? verify(signature: signature, timestamp: timestamp, body: body)) != nil
    }

    /// `v0=<hex>` for `timestamp` and `body`; what Slack would send.
    public func signature(timestamp: String, body: Data) -> String {
        // Streamed, so the body is not copied; hex by table, since this runs for every request.
        var hmac = keyed
        hmac.update(data: Data("v0:\(timestamp):".utf8))
        hmac.update(data: body)
        let digits = Array("0123456789abcdef".utf8)
        var hex = Array("v0=".utf8)
        hex.reserveCapacity(3 + 64)
        for byte in hmac.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Compares every byte whatever the first difference, so timing does not reveal the signature.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
