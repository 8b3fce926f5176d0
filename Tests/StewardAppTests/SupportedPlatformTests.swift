import Foundation
import StewardCore
import Testing
@testable import StewardApp

/// Core's platforms are an open set; the configuration accepts only the ones this build runs, so a typo is
/// one clear line instead of an owner on a platform that never writes.
@Suite struct SupportedPlatformTests {
    @Test func anOwnerOnAPlatformThisBuildDoesNotRunIsRefusedWithTheList() {
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: ["STEWARD_OWNERS": "telgram:1"], envFile: nil)
        }
        do {
            _ = try Configuration.load(environment: ["STEWARD_OWNERS": "telgram:1"], envFile: nil)
        } catch {
            #expect("\(error)".contains("telegram, slack, matrix, console"))
            #expect("\(error)".contains("telgram:1"))
        }
        let fine = try? Configuration.load(environment: ["STEWARD_OWNERS": "matrix:@ana:example.org"], envFile: nil)
        #expect(fine?.owners == [ChatIdentity(platform: .matrix, userID: "@ana:example.org")])
    }
}
