import Foundation
import HeadroomCore

/// Which of the memory-related Bazel flags a release has, and their defaults.
public enum FlagAvailability: Sendable, Equatable {
    /// Documented for the release; the default as documented, nil when the docs give none
    /// (repeatable flags, "see description").
    case available(default: String?)
    /// The release is older than 6.0, where the per-release docs start, and the flag was
    /// documented in 6.0: probably there, not verified.
    case assumedAvailable(default: String?)
    /// Gone from the docs from `since` on (`.head`: gone from the development docs, so from the
    /// release after the last one that documents it).
    case removed(since: BazelRelease)
    /// First documented in a later release.
    case notYetAdded
    /// Not a flag this table follows.
    case unknownFlag
    /// The release is not known (`development version`): ask the binary, `bazel help build --long`.
    case unknownRelease

    /// Whether the flag can be used, counting `.assumedAvailable` as yes.
    public var isUsable: Bool {
        switch self {
        case .available, .assumedAvailable: return true
        default: return false
        }
    }
}

/// What the documentation says about one flag across releases.
public struct BazelFlagFact: Sendable, Equatable {
    /// Startup options go before the command (`bazel --host_jvm_args=… build`); command options after it.
    public enum Kind: String, Sendable, Equatable {
        case startup
        case command
    }

    /// A default value and the first release documenting it.
    public struct Default: Sendable, Equatable {
        public var since: BazelRelease
        /// As the docs print it: `(multi)` for a repeatable flag, `default: see description`.
        public var value: String

        public init(_ since: BazelRelease, _ value: String) {
            self.since = since
            self.value = value
        }
    }

    public var flag: String
    public var kind: Kind
    /// The first release whose docs list the flag; `6.0.0` means "6.0 or older".
    public var firstDocumented: BazelRelease
    /// The last release whose docs list it (`.head` while it is still there).
    public var lastDocumented: BazelRelease
    /// The first release whose docs no longer list it; nil while it is still there.
    public var firstAbsent: BazelRelease?
    /// Each change of the documented default, oldest first.
    public var defaults: [Default]

    public init(_ flag: String, _ kind: Kind, first: BazelRelease, last: BazelRelease, absentFrom: BazelRelease?, defaults: [Default]) {
        self.flag = flag
        self.kind = kind
        firstDocumented = first
        lastDocumented = last
        firstAbsent = absentFrom
        self.defaults = defaults
    }

    /// The default documented for `release` (the newest entry not after it), as printed.
    public func documentedDefault(in release: BazelRelease) -> String? {
        defaults.last { $0.since <= release }?.value ?? defaults.first?.value
    }
}

/// The memory-, resource- and profiling-related Bazel flags by release.
public enum BazelFlagTable {
    /// Flags that were renamed, with the new name and the release that renamed them.
    public static let renames: [String: (newName: String, since: BazelRelease)] = [
        "experimental_oom_more_eagerly_threshold": ("gc_thrashing_threshold", .version(7, 0, 0))
    ]

    /// The facts for `flag` (with or without dashes, `=value` ignored), nil when not in the table.
    public static func fact(for flag: String) -> BazelFlagFact? {
        index[normalizedName(flag)]
    }

    /// Whether `flag` exists in `release`, and its default there.
    ///
    /// A pre-release is judged as the release it leads to (`9.0.0rc1` as `9.0.0`): the
    /// documentation is per release line, and removals land before the first candidate.
    public static func availability(of flag: String, in release: BazelRelease) -> FlagAvailability {
        guard let fact = fact(for: flag) else { return .unknownFlag }
        guard release.isKnown else { return .unknownRelease }
        let release = release.final
        if release < fact.firstDocumented {
            if fact.firstDocumented == oldestDocumented {
                return .assumedAvailable(default: meaningfulDefault(fact.documentedDefault(in: fact.firstDocumented)))
            }
            return .notYetAdded
        }
        if let absent = fact.firstAbsent {
            if release >= absent { return .removed(since: absent) }
            // Gone from the development docs: releases of a later line than the last one
            // documenting it do not have it either.
            if absent == .head, case .numbered(let major, let minor, _, _) = release,
                case .numbered(let lastMajor, let lastMinor, _, _) = fact.lastDocumented,
                (major, minor) > (lastMajor, lastMinor)
            {
                return .removed(since: .head)
            }
        }
        return .available(default: meaningfulDefault(fact.documentedDefault(in: release)))
    }

    package static func normalizedName(_ flag: String) -> String {
        var name = Substring(flag)
        while name.hasPrefix("-") { name = name.dropFirst() }
        if let equals = name.firstIndex(of: "=") { name = name[..<equals] }
        return String(name)
    }

    /// The docs' placeholders for "no single default" read as nil.
    static func meaningfulDefault(_ value: String?) -> String? {
        guard let value else { return nil }
        switch value {
        case "(multi)", "default: see description", "see description": return nil
        default: return value
        }
    }

    /// The oldest release with per-release docs: a flag first documented here may be older.
    public static let oldestDocumented = BazelRelease.version(6, 0, 0)

    private static let index: [String: BazelFlagFact] = Dictionary(facts.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })

    // Sources: the Bazel command-line reference of each release,
    // https://bazel.build/versions/X.Y.Z/reference/command-line-reference (6.0.0 to 9.1.0, and
    // https://bazel.build/reference/command-line-reference for head), and the release notes for
    // removals and renames: 7.0 renamed --experimental_oom_more_eagerly_threshold to
    // --gc_thrashing_threshold; 9.0 removed the merkle-tree cache flags, --local_ram_resources,
    // --local_cpu_resources and --local_extra_resources (replaced by --local_resources, 7.1+).
    // "first" 6.0.0 means "6.0 or older": the per-release docs start at 6.0.

    /// The facts, one per flag, startup options first.
    public static let facts: [BazelFlagFact] = [
        BazelFlagFact("host_jvm_args", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "(multi)")]),
        BazelFlagFact("max_idle_secs", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "10800")]),
        BazelFlagFact("shutdown_on_low_sys_mem", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "false")]),
        BazelFlagFact("idle_server_tasks", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("server_jvm_out", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "default: see description"), .init(.head, "see description")]),
        BazelFlagFact("unlimit_coredumps", .startup, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "false")]),
        BazelFlagFact("experimental_cgroup_parent", .startup, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "default: see description"), .init(.head, "see description")]),
        BazelFlagFact("experimental_run_in_user_cgroup", .startup, first: .version(8, 2, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 2, 0), "false")]),
        BazelFlagFact("experimental_use_compact_object_headers", .startup, first: .head, last: .head, absentFrom: nil, defaults: [.init(.head, "true")]),
        BazelFlagFact("heap_dump_on_oom", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "false")]),
        BazelFlagFact("experimental_oom_more_eagerly_threshold", .command, first: .version(6, 0, 0), last: .version(6, 5, 0), absentFrom: .version(7, 0, 0), defaults: [.init(.version(6, 0, 0), "100")]),
        BazelFlagFact("gc_thrashing_threshold", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "100")]),
        BazelFlagFact("gc_thrashing_limits", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "1s:2,20s:3,1m:5")]),
        BazelFlagFact("gc_churning_threshold", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), "100")]),
        BazelFlagFact("gc_churning_threshold_if_multiple_top_level_targets", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), "-1")]),
        BazelFlagFact("skyframe_high_water_mark_threshold", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "85")]),
        BazelFlagFact("skyframe_high_water_mark_minor_gc_drops_per_invocation", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "2147483647"), .init(.version(8, 0, 0), "10")]),
        BazelFlagFact("skyframe_high_water_mark_full_gc_drops_per_invocation", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "2147483647"), .init(.version(8, 0, 0), "10")]),
        BazelFlagFact("jvm_heap_histogram_internal_object_pattern", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "jdk.internal.vm.Filler.+")]),
        BazelFlagFact("discard_analysis_cache", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "false")]),
        BazelFlagFact("allow_analysis_cache_discard", .command, first: .version(6, 4, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 4, 0), "true")]),
        BazelFlagFact("track_incremental_state", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("keep_state_after_build", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("heuristically_drop_nodes", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false")]),
        BazelFlagFact("experimental_enable_skyfocus", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "false")]),
        BazelFlagFact("experimental_working_set", .command, first: .version(8, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(8, 0, 0), "")]),
        BazelFlagFact("experimental_active_directories", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), ""), .init(.head, "(multi)")]),
        BazelFlagFact("experimental_skyfocus_dump_post_gc_stats", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "false")]),
        BazelFlagFact("experimental_non_deterministic_memory_optimizations", .command, first: .head, last: .head, absentFrom: nil, defaults: [.init(.head, "true")]),
        BazelFlagFact("experimental_remote_merkle_tree_cache", .command, first: .version(6, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(6, 0, 0), "false")]),
        BazelFlagFact("experimental_remote_merkle_tree_cache_size", .command, first: .version(6, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(6, 0, 0), "1000")]),
        BazelFlagFact("experimental_remote_discard_merkle_trees", .command, first: .version(6, 1, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 1, 0), "false"), .init(.version(8, 0, 0), "true")]),
        BazelFlagFact("remote_download_outputs", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "all"), .init(.version(7, 0, 0), "toplevel")]),
        BazelFlagFact("remote_download_minimal", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "(multi)")]),
        BazelFlagFact("remote_download_toplevel", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "(multi)")]),
        BazelFlagFact("remote_download_all", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "(multi)")]),
        BazelFlagFact("experimental_inmemory_dotd_files", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("experimental_inmemory_jdeps_files", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("jobs", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "auto")]),
        BazelFlagFact("local_test_jobs", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "auto")]),
        BazelFlagFact("local_ram_resources", .command, first: .version(6, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(6, 0, 0), "HOST_RAM*.67")]),
        BazelFlagFact("local_cpu_resources", .command, first: .version(6, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(6, 0, 0), "HOST_CPUS")]),
        BazelFlagFact("local_extra_resources", .command, first: .version(6, 1, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(6, 1, 0), "(multi)")]),
        BazelFlagFact("local_resources", .command, first: .version(7, 1, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 1, 0), "(multi)")]),
        BazelFlagFact("default_test_resources", .command, first: .version(7, 1, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 1, 0), "(multi)")]),
        BazelFlagFact("experimental_use_semaphore_for_jobs", .command, first: .version(7, 0, 0), last: .version(8, 7, 0), absentFrom: .version(9, 0, 0), defaults: [.init(.version(7, 0, 0), "false"), .init(.version(7, 1, 0), "true")]),
        BazelFlagFact("experimental_cpu_load_scheduling", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "false")]),
        BazelFlagFact("allow_one_action_on_resource_unavailable", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), "true")]),
        BazelFlagFact("experimental_async_execution", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), "false")]),
        BazelFlagFact("experimental_async_execution_max_concurrent_actions", .command, first: .version(9, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(9, 0, 0), "5000")]),
        BazelFlagFact("loading_phase_threads", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "auto")]),
        BazelFlagFact("experimental_sandbox_memory_limit_mb", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "0")]),
        BazelFlagFact("experimental_sandbox_limits", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "(multi)")]),
        BazelFlagFact("experimental_sandbox_enforce_resources_regexp", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), ""), .init(.head, "(multi)")]),
        BazelFlagFact("incompatible_use_new_cgroup_implementation", .command, first: .version(8, 0, 0), last: .version(9, 1, 0), absentFrom: .head, defaults: [.init(.version(8, 0, 0), "false"), .init(.version(9, 0, 0), "true")]),
        BazelFlagFact("experimental_inmemory_sandbox_stashes", .command, first: .version(7, 3, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 3, 0), "false")]),
        BazelFlagFact("experimental_worker_memory_limit_mb", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "0")]),
        BazelFlagFact("experimental_total_worker_memory_limit_mb", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "0")]),
        BazelFlagFact("experimental_shrink_worker_pool", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false")]),
        BazelFlagFact("worker_max_instances", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "(multi)")]),
        BazelFlagFact("memory_profile", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "default: see description"), .init(.head, "see description")]),
        BazelFlagFact("memory_profile_stable_heap_parameters", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "1,0")]),
        BazelFlagFact("profile", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "default: see description"), .init(.head, "see description")]),
        BazelFlagFact("generate_json_trace_profile", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "auto")]),
        BazelFlagFact("slim_profile", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("profiles_to_retain", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "5")]),
        BazelFlagFact("record_full_profiler_data", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false")]),
        BazelFlagFact("experimental_command_profile", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false"), .init(.version(7, 1, 0), "default: see description"), .init(.head, "see description")]),
        BazelFlagFact("experimental_collect_load_average_in_profiler", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "true")]),
        BazelFlagFact("experimental_collect_system_network_usage", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false"), .init(.version(8, 0, 0), "true")]),
        BazelFlagFact("experimental_collect_worker_data_in_profiler", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false"), .init(.version(9, 0, 0), "true")]),
        BazelFlagFact("experimental_collect_resource_estimation", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false")]),
        BazelFlagFact("experimental_collect_pressure_stall_indicators", .command, first: .version(7, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(7, 0, 0), "false")]),
        BazelFlagFact("experimental_collect_skyframe_counts_in_profiler", .command, first: .version(8, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(8, 0, 0), "false")]),
        BazelFlagFact("experimental_collect_local_sandbox_action_metrics", .command, first: .version(6, 0, 0), last: .version(7, 7, 1), absentFrom: .version(8, 0, 0), defaults: [.init(.version(6, 0, 0), "true")]),
        BazelFlagFact("iff_heap_size_greater_than", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "0")]),
        BazelFlagFact("skylark_memory", .command, first: .version(6, 0, 0), last: .head, absentFrom: nil, defaults: [.init(.version(6, 0, 0), "default: see description"), .init(.head, "see description")]),
    ]
}
