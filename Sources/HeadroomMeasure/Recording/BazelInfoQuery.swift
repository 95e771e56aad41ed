import Foundation
import HeadroomStore

/// `bazel info` run the way a recording needs it: with the command's own startup options (or it
/// would restart the server), through the launcher, its output kept in the bundle, and stopped
/// by an interrupt like any command.
package struct BazelInfoQuery {
    /// What one query gave.
    struct Answer {
        /// `key: value` pairs; empty when the query failed or was interrupted.
        var values: [String: String]
        var interrupted: Bool
    }

    var launcher: [String]
    var workingDirectory: String?

    /// Asks for `keys`; standard output goes to `file` in the bundle, standard error beside it
    /// (`.err`, kept only when something was said there).
    func ask(
        _ invocation: BazelInvocation, keys: [String], bundle: BundleWriter, file: String, interrupted: () -> Bool
    ) throws(CommandRunner.LaunchError) -> Answer {
        let words = launcher + invocation.sibling("info", keys).words
        let errorFile = (file as NSString).deletingPathExtension + ".err"
        let outcome = try CommandRunner.run(
            words, outputPath: bundle.path(of: file), errorPath: bundle.path(of: errorFile), workingDirectory: workingDirectory,
            timeoutSeconds: 600, interrupted: interrupted)
        let text = (try? String(contentsOfFile: bundle.path(of: file), encoding: .utf8)) ?? ""
        bundle.add(file, kind: .other, description: "bazel info, with the command's startup options")
        let errors = bundle.path(of: errorFile)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: errors), (attributes[.size] as? NSNumber)?.intValue == 0 {
            try? FileManager.default.removeItem(atPath: errors)
        } else {
            bundle.add(errorFile, kind: .commandOutput, description: "what bazel info wrote to standard error")
        }
        guard outcome.exitStatus == 0, !outcome.interrupted else { return Answer(values: [:], interrupted: outcome.interrupted) }
        return Answer(values: Self.parse(text, keys: keys), interrupted: false)
    }

    /// `key: value` lines; a single key prints its value alone.
    static func parse(_ text: String, keys: [String]) -> [String: String] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        if keys.count == 1, let only = lines.first, !only.contains(": ") { return [keys[0]: only] }
        var values: [String: String] = [:]
        for line in lines {
            guard let separator = line.range(of: ": ") else { continue }
            values[String(line[..<separator.lowerBound])] = String(line[separator.upperBound...])
        }
        return values
    }
}
