import ArgumentParser
import Foundation

/// The Corpus cases `headroom` analyses when it is given no input.
enum DefaultCase {
    /// `headroom gc` with no file.
    static let gcLog = "g1-steady"
    /// `headroom analyze` (and plain `headroom`) with no input: a real recording of `bazel test`
    /// in a memory cgroup.
    static let bundle = "bazel-test-cgroup"

    /// The folder of case `name`: `HEADROOM_CORPUS/<case>` when set, else the Corpus folder of
    /// the source tree this binary was built from.
    static func directory(_ name: String) throws -> String {
        var candidates: [String] = []
        if let corpus = ProcessInfo.processInfo.environment["HEADROOM_CORPUS"] {
            candidates.append(corpus + "/" + name)
        }
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(sourceRoot.appendingPathComponent("Corpus").appendingPathComponent(name).path)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        StandardError.say("no input given and the bundled case is missing (looked in \(candidates.joined(separator: ", ")))")
        throw ExitCode(.bundledCaseMissing)
    }
}
