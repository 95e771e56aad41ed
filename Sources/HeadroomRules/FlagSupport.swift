import HeadroomAnalysis

/// Whether the target Bazel release has a flag: the binary's own flag list when it was asked,
/// else the release tables. Rules pick flag names through it; the plan filters with it again.
public struct FlagSupport: Sendable {
    /// First releases of flags the per-release docs (which start at 6.0) cannot tell, from the
    /// release notes: a release before these lacks the flag.
    static let knownIntroductions: [String: BazelRelease] = [
        "heap_dump_on_oom": .version(5, 0, 0),
        "shutdown_on_low_sys_mem": .version(6, 0, 0),
        "experimental_remote_merkle_tree_cache": .version(5, 0, 0),
        "experimental_remote_merkle_tree_cache_size": .version(5, 0, 0),
    ]

    public var release: BazelRelease
    public var supportedFlags: Set<String>?

    public init(_ facts: Facts) {
        release = facts.bazel.parsedRelease
        supportedFlags = facts.bazel.supportedFlags.map { Set($0.value) }
    }

    /// True or false when known; nil when neither the binary nor the release tell.
    public func has(_ flag: String) -> Bool? {
        let name = BazelFlagTable.normalizedName(flag)
        if let supportedFlags { return supportedFlags.contains(name) }
        if let introduced = Self.knownIntroductions[name], release.isKnown, release.final < introduced { return false }
        switch BazelFlagTable.availability(of: name, in: release) {
        case .available, .assumedAvailable: return true
        case .removed, .notYetAdded: return false
        case .unknownRelease, .unknownFlag: return nil
        }
    }

    /// `has(flag)`, counting "unknown" as usable: for picking a name when nothing says otherwise.
    public func mayHave(_ flag: String) -> Bool { has(flag) ?? true }

    /// The first of `names` the release has (or may have).
    public func firstAvailable(_ names: [String]) -> String? {
        names.first { has($0) == true } ?? names.first { has($0) == nil }
    }

    /// The documented default of `flag` in the release, when the tables give one.
    public func documentedDefault(_ flag: String) -> String? {
        if case .available(let value) = BazelFlagTable.availability(of: flag, in: release) { return value }
        return nil
    }
}
