import Foundation
import StewardCore
import StewardStorage

/// `steward run` with nobody owning Steward — no `STEWARD_OWNERS`, no owner let in by the database — issues a
/// one-use owner code and says it on the console and in the log, so the newcomer never hunts for their id.
enum OwnerCodeAnnouncement {
    /// The line to print when a code was issued; nil (and any stale code forgotten) when an owner exists.
    static func prepare(configuration: Configuration, store: SQLiteStore, now: Date,
                        generate: () -> String = OwnerCode.generate) async throws -> String? {
        let storedOwner = try await store.grants().contains { $0.role == .owner }
        guard configuration.owners.isEmpty, !storedOwner else {
            try await store.discardOwnerCode()
            return nil
        }
        let code = generate()
        try await store.issueOwnerCode(code, at: now)
        return "No owner yet: send \"/start \(code)\" to the bot in a private chat to become its owner "
            + "(this code works once)."
    }
}
