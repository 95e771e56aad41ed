import HeadroomRules

/// A figure `aggregate` keeps a histogram of, and which OOM kills mean the run needed more of it.
public enum AggregateFigure: String, Sendable, Codable, CaseIterable {
    case liveSet
    case serverRSS
    case cgroupPeak
    case testsPeak

    public var label: String {
        switch self {
        case .liveSet: "live set"
        case .serverRSS: "server RSS"
        case .cgroupPeak: "cgroup peak"
        case .testsPeak: "tests peak"
        }
    }

    public func value(of run: RunSummary) -> Int64? {
        switch self {
        case .liveSet: run.liveSetPeak
        case .serverRSS: run.serverRSSPeak
        case .cgroupPeak: run.cgroupPeak
        case .testsPeak: run.testsPeak
        }
    }

    /// Whether `cause` (a `RunSummary.oomKilledBy` entry) says the run needed more of this
    /// figure than it was measured at: Bazel's exit 33 (heap exhausted) bumps the live set and the
    /// server's RSS; a kernel kill of the server its RSS and the cgroup; of a test the tests and
    /// the cgroup; of anything else the cgroup.
    public func isBumped(by cause: String) -> Bool {
        if cause == RunSummary.bazelOutOfMemoryExit { return self == .liveSet || self == .serverRSS }
        guard cause.hasPrefix("kernel:") else { return false }
        let victim = cause.dropFirst("kernel:".count).split(separator: "/").first.map(String.init) ?? ""
        switch victim {
        case OOMKill.Classification.bazelServer.rawValue: return self == .serverRSS || self == .cgroupPeak
        case OOMKill.Classification.testOrAction.rawValue: return self == .testsPeak || self == .cgroupPeak
        default: return self == .cgroupPeak
        }
    }

    /// The VPA's memory bump after an OOM kill: `max(used + 100 MiB, 1.2 × used)`.
    public static func bumped(_ bytes: Double) -> Double {
        MemoryModel.bumped(bytes)
    }
}
