import Crypto
import Foundation
import StewardCore

/// Encrypts secrets at rest with AES-GCM under `STEWARD_SECRET_KEY`.
/// Sealed form: nonce ‖ ciphertext ‖ tag (`AES.GCM.SealedBox.combined`), so a value is self-contained.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    /// `base64Key` must decode to exactly 32 bytes.
    public init(base64Key: String) throws(StorageError) {
        guard let data = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespaces)), data.count == 32 else {
            throw .badSecretKey
        }
        key = SymmetricKey(data: data)
    }

    public init(keyData: Data) throws(StorageError) {
        guard keyData.count == 32 else { throw .badSecretKey }
        key = SymmetricKey(data: keyData)
    }

    public func seal(_ plaintext: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
            throw StorageError.decryptionFailed
        }
        return combined
    }

    public func open(_ sealed: Data) throws(StorageError) -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
        } catch {
            throw .decryptionFailed
        }
    }
}
