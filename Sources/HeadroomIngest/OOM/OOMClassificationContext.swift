import HeadroomCore

/// What is known about the Bazel servers of a machine, to tell their OOM kills from others'.
///
/// A live reader fills it from `/proc` before a kill (a killed process's `/proc` entry is gone
/// afterwards); tests and the command line fill it by hand. Everything may be empty: a report
/// then classifies on the report alone, which is weaker (see `OOMClassifier`).
public struct OOMClassificationContext: Sendable, Equatable {
    /// PIDs known to be Bazel servers (from `bazel info server_pid`, a server's pid file, or `--server-pid`).
    public var serverPIDs: Set<Int>
    /// Command lines by PID (`/proc/PID/cmdline`, NULs as spaces), read while the processes lived.
    public var commandLines: [Int: String]
    /// A command line holding one of these belongs to a Bazel server.
    public var serverCommandLineMarkers: [String]
    /// Memory cgroup paths by PID (`/proc/PID/cgroup`), as the kernel prints them in reports.
    public var cgroupByPID: [Int: String]

    /// The Bazel client starts its server as `java ... -jar <install_base>/A-server.jar`; no other
    /// JVM on a build machine runs that jar.
    public static let defaultServerCommandLineMarkers = ["A-server.jar"]

    public init(
        serverPIDs: Set<Int> = [],
        commandLines: [Int: String] = [:],
        serverCommandLineMarkers: [String] = OOMClassificationContext.defaultServerCommandLineMarkers,
        cgroupByPID: [Int: String] = [:]
    ) {
        self.serverPIDs = serverPIDs
        self.commandLines = commandLines
        self.serverCommandLineMarkers = serverCommandLineMarkers
        self.cgroupByPID = cgroupByPID
    }

    /// Why the process `pid` named `name` is a Bazel server, or nil when nothing says it is.
    ///
    /// A known PID is enough. A command line is accepted only for a task the kernel names `java`
    /// (the server's JVM), so a PID reused by another program after the command line was read is
    /// not taken for the server. The name `java` alone is not enough: tests, persistent workers and
    /// other tools run JVMs too.
    public func serverEvidence(pid: Int, name: String) -> String? {
        if serverPIDs.contains(pid) { return "pid \(pid) is a known Bazel server" }
        guard name == "java", let commandLine = commandLines[pid] else { return nil }
        guard let marker = serverCommandLineMarkers.first(where: { !$0.isEmpty && commandLine.contains($0) }) else { return nil }
        return "java pid \(pid) runs '\(marker)', the Bazel server's jar"
    }

    /// The cgroups the known servers ran in, where the context has them.
    ///
    /// Here a marker in the command line is enough without the `java` name check: the cgroup and
    /// the command line come from the same reading of `/proc`, so they describe the same process.
    var serverCgroups: [(pid: Int, path: String)] {
        cgroupByPID.sorted(by: { $0.key < $1.key }).filter { pid, _ in
            serverPIDs.contains(pid) || hasServerMarker(commandLines[pid])
        }.map { (pid: $0.key, path: $0.value) }
    }

    private func hasServerMarker(_ commandLine: String?) -> Bool {
        guard let commandLine else { return false }
        return serverCommandLineMarkers.contains { !$0.isEmpty && commandLine.contains($0) }
    }
}
