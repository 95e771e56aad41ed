import HeadroomCore

/// The formats of memory series Headroom reads, made by Headroom or by other tools.
public enum MemorySeriesFormat: String, Sendable, Codable, CaseIterable {
    /// Headroom's own JSON lines (`headroom-samples`): a header, samples, an end record.
    case sampleLog = "headroom-samples"
    /// `timestamp rss` lines.
    case twoColumn = "two-column"
    /// `pidstat -r` output (sysstat), best with `-h`.
    case pidstat
    /// Saved cgroup `memory.*` files: one folder, or a folder of folders.
    case cgroupSnapshot = "cgroup-snapshot"
}
