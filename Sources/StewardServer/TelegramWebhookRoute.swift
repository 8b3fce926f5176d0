import Foundation
import Hummingbird
import TelegramAdapter

extension Router {
    /// `POST path`: Telegram's webhook deliveries, handed to `receiver` (which checks the secret
    /// token, stores the update and picks the status). Bodies over `maxBodySize` are refused with 413;
    /// real updates are a few kilobytes.
    public func addTelegramWebhook(path: String = "/telegram/webhook", receiver: TelegramWebhookReceiver,
                                   maxBodySize: Int = 1 << 20) {
        post(RouterPath(path)) { request, _ -> Response in
            let secret = request.headers.first {
                $0.name.canonicalName == TelegramWebhookReceiver.secretHeader.lowercased()
            }?.value
            // A forged call is refused (and logged, by the receiver) before its body is read.
            guard receiver.accepts(secretHeader: secret) else {
                return Response(status: .init(code: await receiver.receive(secretHeader: secret, body: Data())))
            }
            var request = request
            let body: Data
            do {
                let buffer = try await request.collectBody(upTo: maxBodySize)
                body = Data(buffer.readableBytesView)
            } catch {
                return Response(status: .contentTooLarge)
            }
            let status = await receiver.receive(secretHeader: secret, body: body)
            return Response(status: .init(code: status))
        }
    }
}
