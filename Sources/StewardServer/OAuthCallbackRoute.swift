import Foundation
import Hummingbird
import StewardCore

/// What an OAuth callback shows the person in their browser.
public struct OAuthPage: Sendable, Equatable {
    public var status: Int
    public var title: String
    public var message: String

    public init(status: Int, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    /// A small self-contained page; both texts are escaped (they may quote what the provider sent) and
    /// only ever appear as element text, never inside an attribute.
    public var html: String {
        let title = title.escapingMarkupCharacters, message = message.escapingMarkupCharacters
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Steward — \(title)</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
            <h1>\(title)</h1><p>\(message)</p></body></html>
            """
    }
}

extension Router {
    /// `GET path` (e.g. `/oauth/google/callback`): the provider sends the browser back here with `code` and
    /// `state` (or `error`); `handle` gets the query parameters and picks the page.
    public func addOAuthCallback(path: String, handle: @escaping @Sendable ([String: String]) async -> OAuthPage) {
        get(RouterPath(path)) { request, _ -> Response in
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            let page = await handle(query)
            return Response(status: .init(code: page.status),
                            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: page.html)))
        }
    }
}
