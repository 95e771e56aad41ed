import Foundation
import HeadroomKit

/// Runs a program with an argument array (no shell), output discarded, through the library's
/// `CommandRunner` (posix_spawn and waitpid).
///
/// Foundation's `Process.waitUntilExit` can miss the exit of a program that starts a daemon
/// sharing its process group (the Bazel client starting its server) and wait forever.
enum SpawnedProcess {
    /// The exit status, or -1 when the program could not be started or was killed by a signal.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) -> Int32 {
        let outcome = try? CommandRunner.run([executable] + arguments, outputPath: "/dev/null", workingDirectory: directory?.path)
        return outcome?.exitStatus ?? -1
    }
}
