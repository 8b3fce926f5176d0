import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with the `S256` method: the authorization request carries
/// `challenge`; only whoever holds `verifier` can exchange the code it returns.
public struct PKCE: Sendable, Hashable {
    public let verifier: String
    public let challenge: String
    public static let method = "S256"

    /// Wraps an existing verifier; nil unless it is 43–128 characters of `A-Z a-z 0-9 - . _ ~` (§4.1).
    public init?(verifier: String) {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        guard (43...128).contains(verifier.count), verifier.allSatisfy(allowed.contains) else { return nil }
        self.verifier = verifier
        self.challenge = Self.challenge(for: verifier)
    }

    /// A fresh verifier from 32 random octets, as §4.1 recommends.
    public static func random() -> PKCE {
        var generator = SystemRandomNumberGenerator()
        return PKCE(octets: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The verifier that encodes `octets` in base64url (RFC 7636 Appendix B builds its example this way).
    /// `octets` must hold 32 to 96 bytes (43 to 128 characters once encoded).
    public init(octets: [UInt8]) {
        precondition((32...96).contains(octets.count), "a PKCE verifier needs 32 to 96 random octets")
        self = PKCE(verifier: Data(octets).base64URLEncodedString)!
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString
    }
}
