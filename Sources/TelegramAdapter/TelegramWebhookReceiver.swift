import Foundation
import Logging
import StewardCore

/// The webhook's logic without the HTTP server, so it is a plain function to test. Guarantees:
/// - a missing or wrong `X-Telegram-Bot-Api-Secret-Token` is 401 and nothing is read or stored
///   (compared in constant time);
/// - a body that is not an `Update` is 400 (Telegram will not resend it; it could never succeed);
/// - otherwise the event (if the update is for Steward) is stored through the sink before 200 is
///   returned; a storage error is 500, so Telegram delivers the update again later.
public struct TelegramWebhookReceiver: Sendable {
    public static let secretHeader = "X-Telegram-Bot-Api-Secret-Token"

    private let secret: String
    private let normalizer: TelegramNormalizer
    private let sink: any InboundSink
    private let logger: Logger

    public init(secret: String, normalizer: TelegramNormalizer, sink: any InboundSink,
                logger: Logger = Logger(label: "steward.telegram.webhook")) {
        self.secret = secret
        self.normalizer = normalizer
        self.sink = sink
        self.logger = logger
    }

    /// - Parameters:
    ///   - secretHeader: the value of `X-Telegram-Bot-Api-Secret-Token`, nil when absent.
    ///   - body: the raw request body.
    /// - Returns: the HTTP status to answer.
    public func receive(secretHeader: String?, body: Data) async -> Int {
        guard accepts(secretHeader: secretHeader) else {
            logger.warning("Telegram webhook call refused: missing or wrong secret token")
            return 401
        }
        let update: TelegramUpdate
        do {
            update = try JSONDecoder().decode(TelegramUpdate.self, from: body)
        } catch {
            logger.warning("Telegram webhook body is not an Update", metadata: ["bytes": "\(body.count)"])
            return 400
        }
        guard let event = normalizer.normalize(update) else { return 200 }
        do {
            try await sink.accept([event])
            return 200
        } catch {
            logger.error("could not store a Telegram update; Telegram will resend it",
                         metadata: ["update": "\(update.updateID)", "error": "\(error)"])
            return 500
        }
    }

    /// True when `secretHeader` is the configured secret; lets a server refuse before reading a body.
    /// No secret configured accepts nothing.
    public func accepts(secretHeader: String?) -> Bool {
        guard !secret.isEmpty, let secretHeader else { return false }
        return Self.constantTimeEquals(secretHeader, secret)
    }

    /// Compares every byte whatever the first difference, so timing does not reveal the secret.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
