import Foundation
import StewardCore

// What Slack posts to Steward, the way the HTTP receiver and Socket Mode read it. The first byte picks
// the endpoint: Events API JSON, an interactivity form (`payload=<json>`), a slash-command form, or a
// Socket Mode slash command (a JSON object of strings). Compiled together with SlackInboundModels.swift
// and SlackNormalizer.swift (the rest of the adapter needs HTTP and WebSockets, which decoding doesn't).
private let normalizer = SlackNormalizer(botUserID: "UBOT", umbrellaCommand: "/steward")
private let now = Date(timeIntervalSince1970: 1_780_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSlack(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0:
        if let envelope = try? JSONDecoder().decode(SlackEventEnvelope.self, from: body) {
            _ = normalizer.normalize(envelope, receivedAt: now)
        }
    case 1:
        if let payload = SlackForm.parse(body)["payload"],
           let interaction = try? JSONDecoder().decode(SlackInteraction.self, from: Data(payload.utf8)) {
            _ = normalizer.normalize(interaction, receivedAt: now)
        }
    case 2:
        if let command = SlackSlashCommand(fields: SlackForm.parse(body)) {
            _ = normalizer.normalize(command, receivedAt: now)
        }
    default:
        if let fields = try? JSONDecoder().decode([String: String].self, from: body),
           let command = SlackSlashCommand(fields: fields) {
            _ = normalizer.normalize(command, receivedAt: now)
        }
    }
    return 0
}
