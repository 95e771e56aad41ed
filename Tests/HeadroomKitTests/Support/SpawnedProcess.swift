import Foundation

/// Runs a program with an argument array (no shell) and waits for it with `waitpid`.
///
/// Foundation's `Process.waitUntilExit` can miss the exit of a program that starts a daemon
/// sharing its process group (the Bazel client starting its server) and wait forever.
enum SpawnedProcess {
    /// The exit status, or -1 when the program could not be started or was killed by a signal.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // `env -C DIR` changes directory for the program alone (posix_spawn's chdir action is
        // not visible from Swift on every libc).
        let command = directory.map { ["/usr/bin/env", "-C", $0.path, executable] + arguments } ?? [executable] + arguments
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
