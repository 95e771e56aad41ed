/// The garbage collector a JVM ran with, as named in its log.
public enum Collector: String, Codable, Sendable, CaseIterable {
    case g1 = "G1"
    case parallel = "Parallel"
    case serial = "Serial"
    case cms = "CMS"
    case zgc = "ZGC"
    case generationalZGC = "ZGC-generational"
    case shenandoah = "Shenandoah"
    case unknown = "unknown"

    /// Whether the collector reports its own marked live bytes (ZGC's `Live:` row).
    public var reportsLiveBytes: Bool {
        self == .zgc || self == .generationalZGC
    }

    /// A stronger identification replaces a weaker one (`unknown` < generic < specific).
    package func refined(by other: Collector) -> Collector {
        if self == .unknown { return other }
        if self == .zgc && other == .generationalZGC { return other }
        return self
    }
}
