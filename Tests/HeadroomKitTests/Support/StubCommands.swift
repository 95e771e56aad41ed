import Foundation
@testable import HeadroomKit

/// A folder of stand-ins for `bazel`, `bazelisk`, `systemd-run` and `headroom`, put first on
/// PATH when a test runs an emitted shell snippet: each logs its name and argument words and
/// exits 0, so the test can compare what the snippet ran with what Headroom planned.
struct StubCommands {
    static let names = ["bazel", "bazelisk", "systemd-run", "headroom"]

    let folder: URL
    var bin: String { folder.appendingPathComponent("bin").path }
    var log: String { folder.appendingPathComponent("stub.log").path }

    init(in folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for name in Self.names {
            // Words end with a unit separator and calls with a record separator, so that a word
            // holding a line feed still logs as one word.
            let script = """
                #!/bin/sh
                { printf '%s\\037' \(name); for word in "$@"; do printf '%s\\037' "$word"; done; printf '\\036'; } >> "$STUB_LOG"
                exit 0

                """
            try FakeBazel.writeExecutable(script, to: bin + "/" + name)
        }
    }

    /// Runs `sh script` in the folder with the stubs first on PATH; returns sh's exit status.
    func runShell(_ script: String, timeoutSeconds: Double = 30) throws -> Int32? {
        let file = folder.appendingPathComponent("snippet.sh").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: file))
        let outcome = try CommandRunner.run(
            ["/usr/bin/env", "PATH=\(bin):/usr/bin:/bin", "STUB_LOG=\(log)", "/bin/sh", file], outputPath: folder.appendingPathComponent("sh.out").path,
            errorPath: folder.appendingPathComponent("sh.err").path, workingDirectory: folder.path, timeoutSeconds: timeoutSeconds)
        return outcome.exitStatus
    }

    /// The commands the stubs ran, each as its words (the stub's name first).
    func calls() -> [[String]] {
        let text = String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
        return text.split(separator: "\u{1E}").map { call in
            call.split(separator: "\u{1F}", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    /// `sh -n`: whether the text parses as a POSIX shell script, and what sh said.
    static func syntaxCheck(_ script: String) throws -> (passed: Bool, message: String) {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("check.sh").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: file))
        let errors = folder.appendingPathComponent("err").path
        let outcome = try CommandRunner.run(["/bin/sh", "-n", file], outputPath: "/dev/null", errorPath: errors, timeoutSeconds: 30)
        return (outcome.exitStatus == 0, String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self))
    }
}
