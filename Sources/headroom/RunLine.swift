import ArgumentParser
import HeadroomKit

/// `--run 'bazel test //...'`: the command a snippet runs, typed as one value.
enum RunLine {
    /// The words of `line` as a shell would split it; nil when no line was given.
    static func words(_ line: String?) throws -> [String]? {
        guard let line else { return nil }
        do {
            let words = try ShellWords.split(line)
            guard !words.isEmpty else { throw ValidationError("--run is empty") }
            return words
        } catch let failure as ShellWords.Failure {
            throw ValidationError("--run: \(failure.reason)")
        }
    }
}
