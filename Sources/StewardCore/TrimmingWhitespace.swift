extension StringProtocol {
    /// White space and newlines off both ends — what Foundation's `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` removes: Unicode's White_Space characters and, as Foundation does, the zero
    /// width space — without its round trip through `NSString`, which costs microseconds even for an empty
    /// string (issue 19).
    @inlinable public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isTrimmedWhitespace }),
              let last = scalars.lastIndex(where: { !$0.isTrimmedWhitespace }) else { return "" }
        // Nothing to take off: a `String` is returned as it is, not copied.
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return String(self) }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    @usableFromInline var isTrimmedWhitespace: Bool { properties.isWhitespace || self == "\u{200B}" }
}
