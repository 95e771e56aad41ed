import HeadroomPlan

/// How terminal text is decorated: plain, or with ANSI colour and bold for a terminal that
/// wants it. Styling is applied after wrapping, so widths count only visible characters.
public struct TextStyle: Sendable, Equatable {
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    public static let plain = TextStyle(colour: false)

    /// A section heading.
    public func heading(_ text: String) -> String {
        colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    /// A severity tag: red for critical, yellow for warning, cyan for advice, dim for info.
    public func severity(_ severity: Finding.Severity, _ text: String) -> String {
        guard colour else { return text }
        let code: String =
            switch severity {
            case .critical: "1;31"
            case .warning: "33"
            case .advice: "36"
            case .info: "2"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
