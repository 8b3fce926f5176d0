import Foundation
import StewardCore
import Testing
@testable import StewardApp

/// `steward doctor` speaks in sentences: an error's own words when it has them, a plain phrase when all
/// it has is its Swift name.
@Suite struct DoctorWordsTests {
    enum Opaque: Error { case connectTimeout, connectionRefused }
    struct Named: Error, CustomStringConvertible { var description: String { "Named(code: 7)" } }

    @Test func errorsAreSentencesNeverTypeNames() {
        let secret = DoctorChecks.describe(StorageError.noSecretKey)
        #expect(secret.hasPrefix("STEWARD_SECRET_KEY is not set"))
        #expect(!secret.contains("StorageError"))
        #expect(DoctorChecks.describe(Opaque.connectTimeout) == "the server did not answer in time")
        #expect(DoctorChecks.describe(Opaque.connectionRefused) == "the connection was refused (nothing listens there)")
        #expect(!DoctorChecks.describe(Named()).contains("Named"))
        #expect(DoctorChecks.describe(CalendarError("the feed is gone")) == "the feed is gone")
    }

    @Test func aPlatformWithoutOwnerIsWarnedWithTheLineToAdd() throws {
        let configuration = try Configuration.load(
            environment: ["SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret-signing-value",
                          "TELEGRAM_BOT_TOKEN": "1:abc", "STEWARD_OWNERS": "telegram:100"], envFile: nil)
        let warnings = DoctorChecks.ownerWarnings(configuration)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("slack is on but has no owner") == true)
        #expect(warnings.first?.contains("STEWARD_OWNERS=slack:") == true)
    }
}
