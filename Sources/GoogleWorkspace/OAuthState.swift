import Crypto
import Foundation

/// The `state` of one authorization request: which user asked, for what, and until when.
///
/// It is signed rather than stored: the callback trusts it because only Steward's key could have made
/// it, and the PKCE verifier is derived from it with the same key. Nothing has to be kept between
/// `/connect` and the callback, so a restart in between does not break the link.
public struct OAuthState: Sendable, Hashable {
    /// The Steward user the account will belong to.
    public var userID: String
    /// What is being connected, e.g. `calendar` or `gmail`, so the callback knows which scopes to expect.
    public var purpose: String
    public var expiresAt: Date
    /// Random, so two links for the same user differ.
    public var nonce: String
    /// The signed text that travels as `state=`.
    public var value: String
}

/// Why a `state` from a callback is refused. The description is safe to show on the callback page.
public enum OAuthStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not something Steward issued (truncated, edited, or from another installation).
    case invalid
    /// Issued by Steward but older than its lifetime.
    case expired

    public var description: String {
        switch self {
        case .invalid: "This sign-in link is not valid. Send /connect google again in the chat to get a new one."
        case .expired: "This sign-in link has expired (links last 10 minutes). Send /connect google again in the chat to get a new one."
        }
    }
}

/// Issues and checks `OAuthState`s with an HMAC-SHA256 key derived from the app's secret.
public struct OAuthStateSigner: Sendable {
    /// How long a link works: 10 minutes.
    public static let defaultLifetime: TimeInterval = 600

    private let stateKey: SymmetricKey
    private let pkceKey: SymmetricKey
    public let lifetime: TimeInterval

    /// - Parameter secret: the app's secret (`STEWARD_SECRET_KEY`'s bytes). Separate keys are derived
    ///   from it with HKDF, so the state signature and the PKCE verifiers never share a key with the
    ///   encryption of secrets at rest.
    public init(secret: Data, lifetime: TimeInterval = OAuthStateSigner.defaultLifetime) {
        let master = SymmetricKey(data: secret)
        func derive(_ purpose: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: Data("steward.google.oauth".utf8),
                                   info: Data(purpose.utf8), outputByteCount: 32)
        }
        stateKey = derive("state")
        pkceKey = derive("pkce")
        self.lifetime = lifetime
    }

    private struct Payload: Codable {
        var u: String
        var p: String
        var e: Int64
        var n: String
    }

    /// A new state for `userID`, valid for `lifetime` from `now`.
    public func issue(userID: String, purpose: String, now: Date = Date()) -> OAuthState {
        var generator = SystemRandomNumberGenerator()
        let nonce = Data((0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URLEncodedString
        let expiry = Int64((now.timeIntervalSince1970 + lifetime).rounded(.down))
        let payload = Payload(u: userID, p: purpose, e: expiry, n: nonce)
        // Encoding four plain fields cannot fail.
        let body = (try? JSONEncoder().encode(payload)) ?? Data()
        let encoded = body.base64URLEncodedString
        let value = encoded + "." + signature(of: encoded)
        return OAuthState(userID: userID, purpose: purpose, expiresAt: Date(timeIntervalSince1970: TimeInterval(expiry)),
                          nonce: nonce, value: value)
    }

    /// Checks the signature first, then the expiry; never trusts any field of an unsigned state.
    public func verify(_ value: String, now: Date = Date()) throws(OAuthStateError) -> OAuthState {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Data(base64URLEncoded: String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(parts[0].utf8), using: stateKey),
              let body = Data(base64URLEncoded: String(parts[0])),
              let payload = try? JSONDecoder().decode(Payload.self, from: body) else {
            throw .invalid
        }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(payload.e))
        guard now < expiresAt else { throw .expired }
        return OAuthState(userID: payload.u, purpose: payload.p, expiresAt: expiresAt, nonce: payload.n, value: value)
    }

    /// The PKCE pair for `state`: the same on `/connect` (challenge) and in the callback (verifier),
    /// and unguessable without the key.
    public func pkce(for state: OAuthState) -> PKCE {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(state.value.utf8), using: pkceKey)
        return PKCE(octets: Array(mac))
    }

    private func signature(of text: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: stateKey)).base64URLEncodedString
    }
}
