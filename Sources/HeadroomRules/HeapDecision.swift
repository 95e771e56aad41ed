import HeadroomAnalysis

/// What a rule wants done with the server's maximum heap; the plan reconciles them.
public struct HeapDecision: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable, Equatable {
        /// A larger `-Xmx`.
        case raise
        /// A smaller `-Xmx`.
        case lower
        /// Set `-Xmx` explicitly to this value (it was left to the JVM's default).
        case pin
        /// Do not raise the heap, whatever else asks (a leak would only use it up later).
        case hold
    }

    public var action: Action
    /// The `-Xmx` wanted; nil for `hold`.
    public var targetBytes: Int64?
    /// How the target was worked out, with the numbers.
    public var basis: String

    public init(_ action: Action, to targetBytes: Int64?, basis: String) {
        self.action = action
        self.targetBytes = targetBytes
        self.basis = basis
    }
}
