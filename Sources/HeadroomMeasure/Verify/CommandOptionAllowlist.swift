import HeadroomStore

/// The Bazel commands and command options `verify` replays from a recorded command without
/// `--trust-bundle`: building and testing with the workspace's own configuration, and the
/// options that change how much runs at once or how memory is handled. Not on the list, because
/// they run or fetch what the bundle names, send the sources elsewhere, or write where it says:
/// `--run_under`, `--script_path`, `--override_repository`, `--override_module`, `--registry`,
/// `--action_env`, `--test_env`, `--repo_env`, `--remote_*`, `--disk_cache`, `--profile`, ….
public enum CommandOptionAllowlist {
    /// Commands that build, test or only read: `run` would start a program the bundle picked.
    public static let commands: Set<String> = ["build", "test", "coverage", "query", "cquery", "aquery", "fetch"]

    /// Options, by name (without dashes, values or a `no` prefix).
    static let options: Set<String> = [
        "jobs", "keep_going", "config", "compilation_mode", "local_ram_resources", "local_cpu_resources", "local_resources",
        "local_test_jobs", "discard_analysis_cache", "track_incremental_state", "keep_state_after_build", "build_tests_only",
        "test_tag_filters", "build_tag_filters", "test_size_filters", "test_timeout_filters", "test_lang_filters", "test_output",
        "test_summary", "cache_test_results", "runs_per_test", "flaky_test_attempts", "test_timeout", "heap_dump_on_oom",
        "experimental_oom_more_eagerly_threshold", "gc_thrashing_threshold", "gc_thrashing_limits", "skip_incompatible_explicit_targets",
        "verbose_failures", "announce_rc", "color", "curses", "show_progress", "show_progress_rate_limit", "progress_report_interval",
        "show_timestamps", "build", "build_runfile_links", "experimental_ui_max_stdouterr_bytes",
        // The remote-execution memory options Headroom's own rules plan.
        "experimental_remote_discard_merkle_trees", "experimental_remote_merkle_tree_cache", "experimental_remote_merkle_tree_cache_size",
    ]
    /// Short forms: `-k` (keep_going), `-c` (compilation_mode).
    static let shortOptions: Set<String> = ["-k", "-c"]

    /// Whether a `.bazelrc` option line may be applied: startup options by
    /// `StartupOptionAllowlist`, the others by this list.
    public static func allows(_ setting: BazelSetting) -> Bool {
        setting.scope == .startup ? StartupOptionAllowlist.allows(setting.argument) : setting.argument.hasPrefix("--") && allows(setting.argument)
    }

    /// Whether `word`, one of the command's arguments before any `--`, may be replayed. Targets
    /// (words without a leading dash) are the workspace's own and always may.
    public static func allows(_ word: String) -> Bool {
        guard ReplayWords.isPrintable(word) else { return false }
        guard word.hasPrefix("-") else { return true }
        if shortOptions.contains(word) { return true }
        guard word.hasPrefix("--") else { return false }
        var name = Substring(word.dropFirst(2))
        if let equals = name.firstIndex(of: "=") { name = name[..<equals] }
        if options.contains(String(name)) { return true }
        return name.hasPrefix("no") && options.contains(String(name.dropFirst(2)))
    }
}
