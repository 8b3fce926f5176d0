import Foundation
import MatrixAdapter
import StewardCore
import StewardHTTP
import StewardRuntime
import StewardStorage

/// Matrix's part of the runtime: the client and channel made with the shared HTTP transport, then at start
/// the sign-in (access token, or a stored password session), and the `/sync` loop.
struct MatrixParts {
    let configuration: Configuration
    let homeserver: URL
    let client: HTTPMatrixClient
    let channel: MatrixDeliveryChannel
    let identity = MatrixIdentity()
    /// Where the channel keeps card choices (the store).
    let state: any StateRepository

    init?(configuration: Configuration, http: AsyncHTTPTransport, state: any StateRepository) {
        guard let homeserver = configuration.matrixHomeserverURL else { return nil }
        self.configuration = configuration
        self.homeserver = homeserver
        self.state = state
        client = HTTPMatrixClient(homeserver: homeserver, accessToken: nil, transport: http.measured(as: "matrix"))
        channel = MatrixDeliveryChannel(client: client, state: state, identity: identity)
    }

    func start(_ services: Services, into started: inout PlatformRuntime.Started) async throws {
        let me = try await Self.session(configuration, client: client, homeserver: homeserver, store: services.store).start()
        identity.set(me.userID)
        let orchestrator = services.orchestrator
        // Configured, allowed since, or linked by `/link` to someone who is: their invites are accepted.
        let source = MatrixSyncSource(client: client, identity: identity,
                                      sink: MatrixStoreSink(store: services.store, processor: services.processor),
                                      state: services.store,
                                      isAllowed: { (try? await orchestrator.isLetIn(ChatIdentity(platform: .matrix, userID: $0))) ?? false })
        started.services.append(LoopService { try await source.run() })
        started.names.append("matrix \(me.userID)")
    }

    static func session(_ configuration: Configuration, client: HTTPMatrixClient, homeserver: URL,
                        store: SQLiteStore) throws -> MatrixSession {
        if let token = configuration.matrixAccessToken {
            return MatrixSession(client: client, homeserver: homeserver, credentials: .accessToken(token), store: nil)
        }
        guard let user = configuration.matrixUserID, let password = configuration.matrixPassword else {
            throw UsageError(message: "MATRIX_ACCESS_TOKEN, or MATRIX_USER_ID with MATRIX_PASSWORD, is needed for Matrix")
        }
        guard let key = configuration.secretKey, let box = try? SecretBox(keyData: key) else {
            throw UsageError(message: "STEWARD_SECRET_KEY: needed to keep the Matrix login encrypted (run `steward keygen`), "
                             + "or set MATRIX_ACCESS_TOKEN instead of a password")
        }
        return MatrixSession(client: client, homeserver: homeserver, credentials: .password(userID: user, password: password),
                             store: SealedMatrixSession(state: store, box: box))
    }
}

/// Stores a sync batch and its `next_batch` in one transaction through the processor, which hands the new
/// events to their lanes without reading them back (as it does Telegram's batch and offset).
struct MatrixStoreSink: MatrixBatchSink {
    let store: SQLiteStore
    let processor: InboundProcessor

    func accept(_ events: [InboundEvent], position key: String, value: String) async throws {
        // The SQLite store always writes both in one transaction; the fallback is the protocol's contract.
        if try await !processor.accept(events, cursor: InboundCursor(key: key, value: value)) {
            try await store.setValue(value, for: key)
        }
    }
}

/// The password login's access token and device id, sealed with `STEWARD_SECRET_KEY` in the state table.
struct SealedMatrixSession: MatrixSessionStore {
    static let key = "matrix.session"
    let state: any StateRepository
    let box: SecretBox

    func load() async throws -> MatrixStoredSession? {
        guard let text = try await state.value(Self.key), let sealed = Data(base64Encoded: text),
              let opened = try? box.open(sealed) else { return nil }
        return try? JSONDecoder().decode(MatrixStoredSession.self, from: opened)
    }

    func save(_ session: MatrixStoredSession) async throws {
        let sealed = try box.seal(try JSONEncoder().encode(session))
        try await state.setValue(sealed.base64EncodedString(), for: Self.key)
    }
}

/// `steward doctor`'s Matrix lines: who Steward is, the homeserver's versions, its rooms, the home chat.
enum MatrixDoctor {
    static func check(_ configuration: Configuration, http: AsyncHTTPTransport, store: SQLiteStore?,
                      report: (Bool, String) -> Void) async {
        guard let homeserver = configuration.matrixHomeserverURL else { return }
        let client = HTTPMatrixClient(homeserver: homeserver, accessToken: nil, transport: http, defaultTimeout: .seconds(10))
        do {
            let versions = try await client.versions()
            report(true, "matrix: \(homeserver.absoluteString) speaks \(versions.versions.suffix(3).joined(separator: ", "))")
        } catch {
            report(false, "matrix: \(homeserver.absoluteString) does not answer /versions: \(error)")
            return
        }
        do {
            let me: MatrixWhoAmI
            if let token = configuration.matrixAccessToken {
                client.setAccessToken(token)
                me = try await client.whoami()
            } else if let store, let key = configuration.secretKey, let box = try? SecretBox(keyData: key),
                      let session = try await SealedMatrixSession(state: store, box: box).load() {
                client.setAccessToken(session.accessToken)
                me = try await client.whoami()
            } else {
                report(false, "matrix: no stored session yet; `steward run` logs in as \(configuration.matrixUserID ?? "?") once")
                return
            }
            report(true, "matrix: signed in as \(me.userID)" + (me.deviceID.map { " (device \($0))" } ?? ""))
            let rooms = try await client.joinedRooms()
            let direct = (try? await client.directRooms(userID: me.userID)) ?? [:]
            let directRooms = Set(direct.values.flatMap { $0 })
            var encrypted = 0
            for room in rooms where directRooms.contains(room) {
                if try await client.isEncrypted(roomID: room) { encrypted += 1 }
            }
            report(encrypted == 0, "matrix: in \(rooms.count) room(s), \(directRooms.count) direct chat(s)"
                   + (encrypted == 0 ? "" : "; \(encrypted) direct chat(s) are encrypted and unreadable without Pantalaimon"))
            if let store, let count = try? await store.value(MatrixSyncSource.undecryptableKey), let number = Int(count), number > 0 {
                report(false, "matrix: \(number) encrypted message(s) could not be read (run Steward behind Pantalaimon)")
            }
        } catch {
            report(false, "matrix: \(error)")
        }
    }
}

/// `/status` lines for Matrix: the last successful sync and the encrypted messages Steward couldn't read.
enum MatrixHealth {
    static func statusLines(from state: any StateRepository, in zone: TimeZone? = nil) async -> [String] {
        let last = (try? await state.value(MatrixSyncSource.lastSyncKey)) ?? nil
        var lines = ["Matrix: last successful sync \(StatusTime.string(stored: last, in: zone))"]
        if let text = (try? await state.value(MatrixSyncSource.undecryptableKey)) ?? nil, let count = Int(text), count > 0 {
            lines.append("Matrix: \(count) encrypted message(s) I could not read (run me behind Pantalaimon to read them)")
        }
        return lines
    }
}

extension MatrixHealth {
    /// `/metrics` gauges: the last successful sync and the encrypted events Steward couldn't read.
    static func metrics(_ state: any StateRepository,
                        gauge: (String, String, [(labels: String, value: any Numeric)]) -> String) async -> String {
        var text = ""
        if let value = (try? await state.value(MatrixSyncSource.lastSyncKey)) ?? nil,
           let last = ISO8601DateFormatter().date(from: value) {
            text += gauge("steward_matrix_last_sync_seconds", "Unix time of the last successful Matrix /sync.",
                          [("", last.timeIntervalSince1970)])
        }
        if let value = (try? await state.value(MatrixSyncSource.undecryptableKey)) ?? nil, let count = Int(value) {
            text += gauge("steward_matrix_undecryptable_events", "Encrypted Matrix events Steward could not read.", [("", count)])
        }
        return text
    }
}
