import HeadroomAnalysis

/// One check of the facts: its description first (identifier, title, rationale, examples), then
/// `evaluate`. Rules read facts, never files or processes.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// The findings the facts call for; empty when the rule has nothing to say.
    func evaluate(_ facts: Facts) -> [Finding]
}

/// When a rule runs: later stages read what earlier ones decided (`Facts.planned`).
public enum RuleStage: Int, Sendable, Codable, Comparable, CaseIterable {
    /// Rules that size the heap.
    case heap = 1
    /// Rules that size the cgroup around the planned heap.
    case limits = 2
    /// Everything else: flags, warnings, missing evidence.
    case advice = 3

    public static func < (lhs: RuleStage, rhs: RuleStage) -> Bool { lhs.rawValue < rhs.rawValue }
}
