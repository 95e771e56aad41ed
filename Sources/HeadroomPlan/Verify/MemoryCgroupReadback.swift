import HeadroomRules

/// How a verifying run's memory cgroup was made.
public enum MemoryCgroupManager: String, Sendable, Codable {
    case direct
    case systemd
}

/// What the kernel counted in a verifying run's memory cgroup.
public struct MemoryCgroupReadback: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// Kernel OOM kills inside the cgroup (`oom_kill` of `memory.oom_control` or `memory.events`).
    public var oomKills: Int?
    /// The peak charge (`memory.max_usage_in_bytes`, `memory.peak`).
    public var peakBytes: Int64?
    /// How often the limit was hit (`memory.failcnt`; v2: the `max` count of `memory.events`).
    public var failCount: Int?

    public init(oomKills: Int? = nil, peakBytes: Int64? = nil, failCount: Int? = nil) {
        self.oomKills = oomKills
        self.peakBytes = peakBytes
        self.failCount = failCount
    }
}
