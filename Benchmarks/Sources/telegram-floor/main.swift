// telegram-floor: the floor under Steward's cost per Telegram update (issue 19). It runs Steward's own HTTP
// stack and Telegram client exactly as `steward run` does — AsyncHTTPClient through `AsyncHTTPTransport`,
// `HTTPTelegramClient`'s request bodies and decoding, every task on the event loops (`EventLoopTaskExecutor`)
// — and does only what the echo bot does: every text message is answered with the same text. Nothing is
// stored, no user is looked up, no outbox, no rate limit, no rendering beyond escaping.
//
// What Steward spends per update above this bot is what its guarantees and its features cost; what this
// bot spends is what the permitted packages cost before Steward does anything. Give it to telegram-load as
// the baseline: `telegram-load --steward BIN --echo PATH/telegram-floor …`.
import Foundation
import StewardCore
import StewardHTTP
import TelegramAdapter

let environment = ProcessInfo.processInfo.environment
guard let token = environment["TELEGRAM_BOT_TOKEN"], !token.isEmpty else {
    FileHandle.standardError.write(Data("telegram-floor: set TELEGRAM_BOT_TOKEN (and TELEGRAM_API_URL)\n".utf8))
    exit(2)
}
let api = environment["TELEGRAM_API_URL"].flatMap(URL.init(string:)) ?? HTTPTelegramClient.defaultBaseURL
let loops = EventLoopTaskExecutor()
let transport = AsyncHTTPTransport()
let client = HTTPTelegramClient(token: token, baseURL: api, transport: transport)

/// Long polls as Steward's `TelegramUpdateSource` does (same limit, timeout and update kinds) and answers
/// each message in a task of its own, as Steward's sender does per chat, so the next poll does not wait.
func pollForever() async {
    var offset: Int64?
    while true {
        do {
            let request = GetUpdatesRequest(offset: offset, limit: 100, timeout: 30,
                                            allowedUpdates: TelegramUpdateSource.allowedUpdates)
            let updates = try await client.getUpdates(request, timeout: .seconds(40))
            for update in updates {
                offset = max(offset ?? 0, update.updateID + 1)
                guard let message = update.message, let text = message.text else { continue }
                Task(executorPreference: loops) {
                    let answer = SendMessageRequest(chatID: message.chat.id, text: text.escapingMarkupCharacters)
                    do { _ = try await client.sendMessage(answer) } catch {
                        FileHandle.standardError.write(Data("telegram-floor: sendMessage failed: \(error)\n".utf8))
                    }
                }
            }
        } catch {
            FileHandle.standardError.write(Data("telegram-floor: getUpdates failed: \(error)\n".utf8))
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

await withTaskExecutorPreference(loops) { await pollForever() }
