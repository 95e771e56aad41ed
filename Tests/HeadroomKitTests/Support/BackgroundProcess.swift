import Foundation
import HeadroomKit

/// A program started from an argument array (no shell) that the test keeps running while it
/// watches it, signals it and waits for it with a time limit. Output goes to files.
///
/// It is not reaped until `wait` is called, so a test can also leave an exited one as a zombie.
final class BackgroundProcess {
    /// How the process ended.
    enum Termination: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exit \(status)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    let pid: pid_t
    /// Holds the output files; removed with the process.
    private let folder: URL
    let outputPath: String
    let errorPath: String
    private(set) var termination: Termination?

    /// Starts `words`; `environment` entries are added to the test's own; `blockingInterrupt`
    /// starts it with SIGINT blocked, so that one sent at once waits for it to unblock it.
    init(_ words: [String], environment: [String: String] = [:], in directory: URL? = nil, blockingInterrupt: Bool = false) throws {
        let folder = try TestSupport.temporaryDirectory()
        self.folder = folder
        outputPath = folder.appendingPathComponent("stdout").path
        errorPath = folder.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        if blockingInterrupt { sigaddset(&mask, SIGINT) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        let command = directory.map { ["/usr/bin/env", "-C", $0.path] + words } ?? words
        let argv = command.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawnp(&child, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw CommandRunner.LaunchError(program: command[0], reason: String(cString: strerror(result)))
        }
        pid = child
    }

    deinit {
        if termination == nil {
            kill(pid, SIGKILL)
            _ = wait(seconds: 5)
        }
        try? FileManager.default.removeItem(at: folder)
    }

    func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits up to `seconds` for the process to end; nil when it still runs.
    func wait(seconds: Double) -> Termination? {
        if let termination { return termination }
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
                termination = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
                return termination
            }
            if result < 0 && errno != EINTR { return nil }
            if Date() > deadline { return nil }
            usleep(20_000)
        }
    }

    /// Waits like `wait`; a process still running then is killed, and nil returned.
    func waitOrKill(seconds: Double) -> Termination? {
        if let ended = wait(seconds: seconds) { return ended }
        kill(pid, SIGKILL)
        _ = wait(seconds: 5)
        return nil
    }

    var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
}
