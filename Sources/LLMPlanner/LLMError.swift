import Foundation

/// Why a model call failed. Descriptions never contain the API key (it is redacted from anything a
/// server echoes back) and never the request body.
public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The model is down or the circuit breaker is open: fall back to the deterministic parser.
        case unavailable
        /// The server refused the request (4xx other than 429): a bug or a bad configuration.
        case rejected(status: Int)
        /// The response was not the documented shape.
        case malformedResponse
        /// `LLM_DAILY_TOKEN_BUDGET` is used up for today: fall back to the parser.
        case overBudget
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The parser should take over and the user be told once.
    public var shouldFallBack: Bool { kind == .unavailable || kind == .overBudget }

    public var description: String {
        switch kind {
        case .unavailable: "model unavailable: \(detail)"
        case .rejected(let status): "model rejected the request (HTTP \(status)): \(detail)"
        case .malformedResponse: "malformed model response: \(detail)"
        case .overBudget: "daily token budget used up: \(detail)"
        }
    }

    public static func == (lhs: LLMError, rhs: LLMError) -> Bool { lhs.kind == rhs.kind }
}

extension String {
    /// Removes `secret` (when set) from text that may have come from a server or a library.
    func redacting(_ secret: String?) -> String {
        guard let secret, secret.count >= 4 else { return self }
        return replacingOccurrences(of: secret, with: "[redacted]")
    }
}
