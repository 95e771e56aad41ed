import Foundation
import HeadroomCore

/// Finds a workspace's Bazel server: its output base and the PID in `server/server.pid.txt`.
///
/// Bazel's default output base is `~/.cache/bazel/_bazel_$USER/<md5 of the workspace path>`
/// (`--output_user_root` and `--output_base` move it; pass the output base then). The PID file
/// exists only while the server runs, and names the new server after a restart.
public struct BazelServerLocator: Sendable {
    public var outputBase: String

    public init(outputBase: String) {
        self.outputBase = outputBase
    }

    /// The default output base of `workspace` for the current user.
    public init(workspace: String, user: String? = nil, home: String? = nil) {
        let absolute = URL(fileURLWithPath: workspace).standardizedFileURL.resolvingSymlinksInPath().path
        let environment = ProcessInfo.processInfo.environment
        let userName = user ?? environment["USER"] ?? NSUserName()
        let homeDirectory = home ?? environment["HOME"] ?? NSHomeDirectory()
        let hash = MD5.hexDigest(of: Array(absolute.utf8))
        outputBase = "\(homeDirectory)/.cache/bazel/_bazel_\(userName)/\(hash)"
    }

    /// The running server's PID, or nil when no server runs for this output base.
    ///
    /// A server that was killed is gone as soon as its address space is (its client notices
    /// when the socket closes, which comes after): an exiting process without one, or an
    /// exited one waiting for init to reap it, still has `/proc/PID` but is not a server.
    public func serverPID() -> Int? {
        let pidFile = (outputBase as NSString).appendingPathComponent("server/server.pid.txt")
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else { return nil }
        // A PID file left by a server that died is not a server.
        guard let status = ProcStatusReader().read(pid: pid), !status.hasExited, status.memory.rssBytes > 0 else { return nil }
        return pid
    }
}
