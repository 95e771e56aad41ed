import Foundation
import HeadroomKit

/// A small Bazel workspace from `scripts/make-workspace.py`, with its own output base, for tests
/// that run the installed Bazel offline; `shutdown` stops the server a recording left.
struct GeneratedWorkspace {
    let folder: URL
    let outputBase: String
    /// The `--override_repository` flags `bazel test` needs offline (printed by the script).
    let testFlags: [String]

    /// `tests` sh_tests that each hold `testMiB` for `testSeconds`, beside one package of genrules.
    init(in root: URL, tests: Int = 0, testMiB: Int = 10, testSeconds: Double = 2) throws {
        let generator = TestSupport.repositoryRoot.appendingPathComponent("scripts/make-workspace.py").path
        folder = root.appendingPathComponent("workspace")
        outputBase = root.appendingPathComponent("output-base").path
        var arguments = [generator, folder.path, "--packages", "1", "--chains", "1", "--length", "3"]
        if tests > 0 { arguments += ["--tests", "\(tests)", "--test-mib", "\(testMiB)", "--test-seconds", "\(testSeconds)"] }
        guard SpawnedProcess.run("/usr/bin/python3", arguments) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder.path])
        }
        let flagsFile = root.appendingPathComponent("test-flags.txt").path
        _ = try? CommandRunner.run(["/usr/bin/python3", generator, folder.path, "--print-test-flags"], outputPath: flagsFile)
        testFlags = ((try? String(contentsOfFile: flagsFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline).map(String.init)
    }

    /// `bazel --output_base=… WORDS…`
    func bazel(_ words: [String]) -> [String] {
        [installedBazel!, "--output_base=\(outputBase)"] + words
    }

    /// Stops whatever server runs for the output base, whatever its startup options (no new one
    /// is started when none runs).
    func shutdown() {
        guard let text = try? String(contentsOfFile: outputBase + "/server/server.pid.txt", encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where ProcessTable.isRunning(Int(pid)) { usleep(50_000) }
        if ProcessTable.isRunning(Int(pid)) { kill(pid, SIGKILL) }
    }
}
