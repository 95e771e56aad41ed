import HeadroomRules

/// One coherent set of settings merged from every finding: at most one heap change, one cgroup
/// size, each option once and only if the target release has it, each with the rules and
/// evidence behind it.
public struct Plan: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// The heap the plan settles on.
    public struct Heap: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var action: HeapDecision.Action
        public var currentBytes: Int64?
        /// Nil for `hold`: keep the heap as it is.
        public var targetBytes: Int64?
        public var basis: String
        public var rules: [String]

        /// The startup option that applies the target, when there is one.
        public var setting: BazelSetting? {
            guard let targetBytes, action != .hold else { return nil }
            return BazelSetting(
                .startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx\(ByteSize.jvmArgument(targetBytes))",
                reason: basis)
        }
    }

    /// An option with every rule that asked for it.
    public struct Setting: Sendable, Codable, Equatable {
        public var setting: BazelSetting
        public var rules: [String]
        /// False when the release is unknown and nothing confirmed the flag exists.
        public var verified: Bool
    }

    /// The cgroup size, with its rule.
    public struct Limits: Sendable, Codable, Equatable {
        public var limits: CgroupLimits
        public var rules: [String]
    }

    /// An option left out, and why.
    public struct Dropped: Sendable, Codable, Equatable {
        public var argument: String
        public var rule: String
        public var reason: String
    }

    /// The release the plan was checked against (`unknown` when not told).
    public var release: String
    public var heap: Heap?
    public var settings: [Setting] = []
    public var cgroup: Limits?
    public var commands: [String] = []
    public var collect: [String] = []
    public var dropped: [Dropped] = []
    /// Conflicts the plan resolved, in words.
    public var notes: [String] = []

    public init(release: String) {
        self.release = release
    }

    /// Every option in `.bazelrc` order: startup options first, the heap before the rest.
    public var allSettings: [(setting: BazelSetting, rules: [String])] {
        var all: [(BazelSetting, [String])] = []
        if let heap, let setting = heap.setting { all.append((setting, heap.rules)) }
        all += settings.map { ($0.setting, $0.rules) }
        let order = BazelSetting.Scope.allCases
        return all.enumerated().sorted { a, b in
            let (sa, sb) = (order.firstIndex(of: a.element.0.scope)!, order.firstIndex(of: b.element.0.scope)!)
            return sa != sb ? sa < sb : a.offset < b.offset
        }.map { ($0.element.0, $0.element.1) }
    }
}
