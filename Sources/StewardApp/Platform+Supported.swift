import StewardCore

extension Platform {
    /// The chat platforms this build runs: the composition root's list, since Core's `Platform` is open.
    static let supported: [Platform] = [.telegram, .slack, .matrix, .console]
}

extension ChatIdentity {
    /// `platform:id` as typed in configuration or on the command line, on a platform this build runs; nil
    /// otherwise (a typo such as `telgram:1` is refused, not stored for a platform that never writes).
    init?(supported text: String) {
        guard let identity = ChatIdentity(parsing: text), Platform.supported.contains(identity.platform) else {
            return nil
        }
        self = identity
    }
}
