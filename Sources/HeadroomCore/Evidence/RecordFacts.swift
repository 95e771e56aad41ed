/// What `headroom record` learned about one Bazel run, beyond the raw files: how the command
/// ended, the server's real JVM flags, and whether the server was inside the measured scope.
public struct RecordFacts: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// The command as the user gave it.
    public var requestedCommand: [String]
    /// The command as run (with the GC log and profile options Headroom added).
    public var command: [String]
    public var addedStartupOptions: [String]
    public var addedArguments: [String]
    public var exitStatus: Int32?
    public var signal: Int32?
    public var interrupted: Bool
    public var timedOut: Bool
    public var seconds: Double
    public var outputBase: String?
    /// `bazel --version`.
    public var bazelVersion: String?
    public var serverPID: Int?
    /// The server's command line from `/proc/PID/cmdline`: its real `-Xmx` and GC flags.
    public var serverCommandLine: [String]?
    /// The memory cgroup the server is in, and the one `record` ran in (the measured scope).
    public var serverCgroup: String?
    public var recorderCgroup: String?
    /// False when the server lives outside the scope being measured (it was started before the
    /// scope, so a `MemoryMax` on the scope does not hold it): `bazel shutdown` first.
    public var serverInsideScope: Bool?
    /// True when the server that ran the command was gone when it ended (killed or crashed, or
    /// replaced by another): `bazel info` was not asked, as it would have described a new server.
    public var serverDied: Bool?
    /// The server's resident memory after the command, and the resident part of its Java heap,
    /// from `/proc/PID/smaps`: non-heap memory is their difference. Nil when not read.
    public var serverResidentBytes: Int64?
    public var serverResidentHeapBytes: Int64?
    /// `bazel info` figures after the command, with the same startup options.
    public var bazelInfo: [String: String]
    public var samples: Int
    /// The memory cgroup the command ran in, and whether it held the command alone. Nil in
    /// bundles recorded before record said so.
    public var cgroup: CommandCgroupFacts?

    public init(requestedCommand: [String], command: [String]) {
        self.requestedCommand = requestedCommand
        self.command = command
        addedStartupOptions = []
        addedArguments = []
        interrupted = false
        timedOut = false
        seconds = 0
        bazelInfo = [:]
        samples = 0
    }
}

/// The memory cgroup a recorded command ran in. Its figures (peak, OOM kills) are the command's —
/// the Bazel client, its server and the tests — only when `own` is true; a shared cgroup (a login
/// session, a CI job's) also counts every other process and their page cache.
public struct CommandCgroupFacts: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// How the cgroup came to be the command's, or not.
    public enum Ownership: String, Sendable, Codable, Equatable {
        /// `record` made a fresh memory cgroup without a limit and started the client inside it.
        case made
        /// The cgroup `record` was started in held no other process (`systemd-run --scope`, a
        /// cgroup made for the command).
        case alone
        /// `verify` made it, with the plan's limits.
        case verify
        /// Shared with other processes, or unknown: figures come from the server's process tree.
        case shared
    }

    public var ownership: Ownership
    /// Its path in the hierarchy, as `/proc/PID/cgroup` prints it.
    public var path: String?
    public var version: Int?
    /// True when the cgroup held the command alone and the server was inside it.
    public var own: Bool
    /// Why, in words.
    public var reason: String
    /// After the command: `memory.max_usage_in_bytes` (v1) or `memory.peak` (v2).
    public var peakBytes: Int64?
    /// After the command: kernel OOM kills in the cgroup, and v1 `failcnt` / v2 `max` events.
    public var oomKills: Int64?
    public var failCount: Int64?
    /// After the command, from `memory.stat`: anonymous memory and page cache (file).
    public var anonBytes: Int64?
    public var fileBytes: Int64?

    public init(ownership: Ownership, path: String?, version: Int?, own: Bool, reason: String) {
        self.ownership = ownership
        self.path = path
        self.version = version
        self.own = own
        self.reason = reason
    }
}
