import StewardTesting
import Testing

/// `steward doctor` about an encrypted direct chat: it says the chat can't be read without Pantalaimon and
/// how many messages were lost, and the check fails (it is not shown green).
@Suite struct MatrixDoctorEndToEndTests {
    @Test func doctorFailsOnAnEncryptedDirectChatAndCountsWhatCouldNotBeRead() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let secret = try await world.owner.createDirectChat(with: world.bot.userID, encrypted: true)
        try await world.waitForJoin(secret, steward)
        let ciphertext: [String: Any] = ["algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnB…",
                                         "session_id": "s1", "sender_key": "k1", "device_id": "DEV"]
        try await world.owner.send("m.room.encrypted", ciphertext, in: secret)
        try await world.waitForMessages(1, in: secret, steward)
        try await waitUntil(timeout: .seconds(20)) {
            (try? await world.metrics())?.contains("steward_matrix_undecryptable_events 1") == true
        }

        let doctor = try StewardProcess(["doctor"], environment: world.environment, directory: world.workspace)
        let status = try await doctor.exitStatus()
        #expect(doctor.stdout.contains("ok   matrix: signed in as \(world.bot.userID)"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains(
            "FAIL matrix: in 1 room(s), 1 direct chat(s); 1 direct chat(s) are encrypted and unreadable without Pantalaimon"),
            "\(doctor.stdout)")
        #expect(doctor.stdout.contains("FAIL matrix: 1 encrypted message(s) could not be read (run Steward behind Pantalaimon)"))
        #expect(status != 0)
    }
}
