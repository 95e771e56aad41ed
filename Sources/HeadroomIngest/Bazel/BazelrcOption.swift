import HeadroomCore

/// One option from an rc file, with the file and line it came from.
public struct RcOption: Sendable, Equatable, Hashable {
    /// The option name without dashes; `--noflag` is named `flag`.
    public var name: String
    /// The value: `--flag=v` and (for flags known to take a value) `--flag v` give `v`;
    /// `--noflag` gives `"false"`; a bare `--flag` gives nil (for a boolean flag that means true).
    public var value: String?
    /// The words as written (`--flag value` keeps both words, joined by a space).
    public var raw: String
    public var location: SourceLocation
    /// The rc command of the line (`build`, `test`, `common`, `startup`, ...).
    public var command: String
    /// The `--config` group that brought the option in, nil for an unconditional line.
    public var config: String?

    public init(name: String, value: String?, raw: String, location: SourceLocation, command: String, config: String? = nil) {
        self.name = name
        self.value = value
        self.raw = raw
        self.location = location
        self.command = command
        self.config = config
    }

    /// The value read as a boolean: a bare flag is true, `--noflag` false, `=true|1|yes` and
    /// `=false|0|no` as written; nil for anything else.
    public var boolValue: Bool? {
        guard let value else { return true }
        switch value.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: return nil
        }
    }

    /// Flags that take a value, so that `--flag value` (a separate word) is read as one option.
    /// Other flags keep a following word as residue; rc files should use `--flag=value`.
    public static let valueTakingFlags: Set<String> = [
        "config", "host_jvm_args", "host_jvm_profile", "output_base", "output_user_root", "max_idle_secs",
        "jobs", "local_test_jobs", "local_ram_resources", "local_cpu_resources", "local_resources",
        "local_extra_resources", "remote_executor", "remote_cache", "disk_cache", "remote_instance_name",
        "experimental_remote_merkle_tree_cache_size", "gc_thrashing_threshold", "gc_thrashing_limits",
        "experimental_oom_more_eagerly_threshold", "compilation_mode", "define", "copt", "test_output",
        "memory_profile", "profile", "server_jvm_out", "experimental_cgroup_parent",
        "worker_max_instances",
        "skyframe_high_water_mark_threshold", "loading_phase_threads", "remote_download_outputs",
    ]

    /// Single-dash short forms Bazel accepts, mapped to their long names.
    static let shortForms: [String: String] = ["j": "jobs", "k": "keep_going", "c": "compilation_mode", "s": "subcommands"]

    /// Reads the words of one rc line as options. Words that are not options (residue) are left out.
    package static func parse(_ words: [String], command: String, config: String?, location: SourceLocation) -> [RcOption] {
        var options: [RcOption] = []
        var index = 0
        func make(_ name: String, _ value: String?, _ raw: String) -> RcOption {
            RcOption(name: name, value: value, raw: raw, location: location, command: command, config: config)
        }
        while index < words.count {
            let word = words[index]
            index += 1
            if word.hasPrefix("--"), word.count > 2 {
                let body = word.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    options.append(make(String(body[..<equals]), String(body[body.index(after: equals)...]), word))
                } else if valueTakingFlags.contains(String(body)), index < words.count {
                    options.append(make(String(body), words[index], word + " " + words[index]))
                    index += 1
                } else if body.hasPrefix("no"), body.count > 2, !valueTakingFlags.contains(String(body)) {
                    options.append(make(String(body.dropFirst(2)), "false", word))
                } else {
                    options.append(make(String(body), nil, word))
                }
            } else if word.hasPrefix("-"), word.count >= 2, !word.hasPrefix("--"),
                let long = shortForms[String(word.dropFirst().prefix(1))]
            {
                let attached = word.dropFirst(2)
                if !attached.isEmpty {
                    options.append(make(long, String(attached.hasPrefix("=") ? attached.dropFirst() : attached), word))
                } else if valueTakingFlags.contains(long), index < words.count {
                    options.append(make(long, words[index], word + " " + words[index]))
                    index += 1
                } else {
                    options.append(make(long, nil, word))
                }
            }
        }
        return options
    }
}
