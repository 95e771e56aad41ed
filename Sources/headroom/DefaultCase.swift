import ArgumentParser
import Foundation

/// The Corpus case `headroom` analyses when it is given no input.
enum DefaultCase {
    static let name = "g1-steady"

    /// The folder of the default case: `HEADROOM_CORPUS/<case>` when set, else the Corpus
    /// folder of the source tree this binary was built from.
    static func gcLogDirectory() throws -> String {
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
        throw ExitCode(2)
    }
}
