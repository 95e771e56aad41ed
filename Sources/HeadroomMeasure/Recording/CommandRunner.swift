#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomStore

/// Runs a program from an argument array (never a shell string), its output into a file, and
/// waits for it — stopping it cleanly on an interrupt or a timeout.
///
/// The child gets its own process group, so that on a timeout or an interrupt the whole tree it
/// started can be ended: first SIGINT to the child (Bazel's client then cancels the command in
/// the server), then, after a grace period, SIGKILL to its `CommandTree` (the group and the
/// descendants that stayed in its session); and once the child has gone, SIGKILL to whatever of
/// the tree it left behind. A command that ends by itself is left as it is.
public enum CommandRunner {
    /// How a run ended.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, when the program exited.
        public var exitStatus: Int32?
        /// The signal that ended it, when one did.
        public var signal: Int32?
        public var interrupted: Bool
        public var timedOut: Bool
        public var seconds: Double
    }

    /// Why a program could not be started.
    public struct LaunchError: Error, CustomStringConvertible {
        public var program: String
        public var reason: String

        package init(program: String, reason: String) {
            self.program = program
            self.reason = reason
        }
        public var description: String { "\(program): \(reason)" }
    }

    /// Runs `words`; standard output goes to `outputPath`, standard error there too unless
    /// `errorPath` names another file.
    public static func run(
        _ words: [String], outputPath: String, errorPath: String? = nil, workingDirectory: String? = nil, timeoutSeconds: Double? = nil,
        graceSeconds: Double = 10, interrupted: () -> Bool = { false }
    ) throws(LaunchError) -> Outcome {
        guard let program = words.first else { throw LaunchError(program: "", reason: "no program given") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The child starts with no signal blocked and default handlers, whatever the caller set.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        // `env -C` changes directory for the program alone.
        let command = workingDirectory.map { ["/usr/bin/env", "-C", $0] + words } ?? words
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw LaunchError(program: program, reason: String(cString: strerror(spawned))) }

        let start = SamplingLoop.monotonicSeconds()
        var tree = CommandTree(leader: Int(pid))
        var wasInterrupted = false
        var wasTimedOut = false
        var stopSentAt: Double?
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { break }
            let now = SamplingLoop.monotonicSeconds()
            if let sent = stopSentAt {
                // Keep up with what the tree starts while it winds down, to kill it all if it will not.
                tree.refresh()
                if now - sent > graceSeconds { tree.killAll() }
            } else {
                if interrupted() {
                    wasInterrupted = true
                } else if let timeoutSeconds, now - start > timeoutSeconds {
                    wasTimedOut = true
                }
                if wasInterrupted || wasTimedOut {
                    tree.refresh()
                    kill(pid, SIGINT)
                    stopSentAt = now
                }
            }
            usleep(50_000)
        }
        // A stopped command's children that ignored the stop outlive their parent: end them too.
        if stopSentAt != nil { tree.killAll() }
        let seconds = SamplingLoop.monotonicSeconds() - start
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let exited = status & 0x7f == 0
        return Outcome(
            exitStatus: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : status & 0x7f,
            interrupted: wasInterrupted, timedOut: wasTimedOut, seconds: seconds)
    }
}
