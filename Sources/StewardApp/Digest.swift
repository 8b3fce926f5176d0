import Crypto
import Foundation

/// SHA-256 of `data` as lower-case hex: binds an approval to the exact payload it will execute.
@Sendable func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
