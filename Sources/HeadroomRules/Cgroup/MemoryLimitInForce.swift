import HeadroomAnalysis

/// The memory limit the server runs under: the one the plan sets, else the one measured. Rules
/// that ask "is there a limit at all?" read it here so they agree on which one counts.
public struct MemoryLimitInForce: Sendable {
    public var bytes: Int64
    /// `the planned MemoryMax`, `the cgroup limit`.
    public var name: String
    public var evidence: Finding.Evidence

    /// Nil when neither a plan nor a measured cgroup gives a limit.
    public init?(_ facts: Facts) {
        if let planned = facts.planned.memoryMax {
            self.init(planned, name: "the planned MemoryMax", label: "planned MemoryMax")
        } else if let limit = facts.cgroup.limit {
            self.init(limit, name: "the cgroup limit", label: "cgroup limit")
        } else {
            return nil
        }
    }

    init(_ fact: Sourced<Int64>, name: String, label: String) {
        bytes = fact.value
        self.name = name
        evidence = .bytes(label, fact)
    }
}
