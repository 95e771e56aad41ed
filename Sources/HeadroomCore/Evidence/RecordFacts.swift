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
    /// `bazel info` figures after the command, with the same startup options.
    public var bazelInfo: [String: String]
    public var samples: Int

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
