#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HeadroomCore

/// Reads a chain of `.bazelrc` files the way Bazel's client does: in the given order, following
/// `import` and `try-import` lines in place.
///
/// `%workspace%` in an import path is replaced by the workspace root; a relative import path is
/// taken from the workspace root when there is one, else from the importing file's folder.
/// A missing `import` is an error naming the importing line; a missing `try-import` and a missing
/// top-level file are skipped and listed in `BazelrcChain.skippedFiles`. An import that leads
/// back to a file still being read is reported as a cycle instead of being followed.
public enum BazelrcReader {
    /// Bazel's default rc files for a workspace, in Bazel's order: the system rc, the workspace
    /// `.bazelrc`, the user's `~/.bazelrc`, then any `--bazelrc=` files.
    public static func defaultFiles(workspace: String?, home: String? = nil, extra: [String] = []) -> [String] {
        var files = ["/etc/bazel.bazelrc"]
        if let workspace { files.append((workspace as NSString).appendingPathComponent(".bazelrc")) }
        let homeDirectory = home ?? ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        files.append((homeDirectory as NSString).appendingPathComponent(".bazelrc"))
        return files + extra
    }

    public static func read(files: [String], workspace: String?) throws -> BazelrcChain {
        var state = State(workspace: workspace)
        for file in files {
            let path = normalized(file)
            guard FileManager.default.fileExists(atPath: path) else {
                state.skipped.append(path)
                continue
            }
            try state.read(path: path, stack: [])
        }
        return BazelrcChain(files: state.files, skippedFiles: state.skipped, lines: state.lines)
    }

    /// Reads rc text that is not in a file (imports in it are still followed from disk).
    public static func read(text: String, name: String, workspace: String?) throws -> BazelrcChain {
        var state = State(workspace: workspace)
        try state.read(text: text, path: name, stack: [name])
        return BazelrcChain(files: [name], skippedFiles: state.skipped, lines: state.lines)
    }

    static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private struct State {
        var workspace: String?
        var files: [String] = []
        var skipped: [String] = []
        var lines: [BazelrcLine] = []

        init(workspace: String?) { self.workspace = workspace }

        mutating func read(path: String, stack: [String]) throws {
            // Only plain files of sensible size: an import of /dev/zero or a FIFO would otherwise
            // read forever or wait for a writer.
            let data = try SmallFile.read(path, kind: "rc file")
            // Invalid UTF-8 becomes U+FFFD rather than losing the file.
            let text = String(decoding: data, as: UTF8.self)
            files.append(path)
            try read(text: text, path: path, stack: stack + [path])
        }

        mutating func read(text: String, path: String, stack: [String]) throws {
            for logical in BazelrcTokenizer.logicalLines(text) {
                let words: [String]
                do {
                    words = try BazelrcTokenizer.words(logical.text)
                } catch {
                    throw InputError(path: path, reason: error.reason, line: logical.line)
                }
                guard let first = words.first else { continue }
                let location = SourceLocation(file: path, line: logical.line)
                if first == "import" || first == "try-import" {
                    try follow(first, words.dropFirst(), at: location, stack: stack)
                    continue
                }
                let command: String
                var config: String?
                if let colon = first.firstIndex(of: ":") {
                    command = String(first[..<colon])
                    config = String(first[first.index(after: colon)...])
                    if config!.isEmpty {
                        throw InputError(path: path, reason: "empty config name in '\(first)'", line: logical.line)
                    }
                } else {
                    command = first
                }
                lines.append(BazelrcLine(command: command, config: config, words: Array(words.dropFirst()), location: location))
            }
        }

        mutating func follow(_ keyword: String, _ arguments: ArraySlice<String>, at location: SourceLocation, stack: [String]) throws {
            guard arguments.count == 1, var target = arguments.first else {
                throw InputError(path: location.file, reason: "'\(keyword)' takes exactly one path", line: location.line)
            }
            if target.contains("%workspace%") {
                guard let workspace else {
                    throw InputError(path: location.file, reason: "'\(keyword) \(target)' needs a workspace, and none was given", line: location.line)
                }
                target = target.replacingOccurrences(of: "%workspace%", with: workspace)
            }
            if !target.hasPrefix("/") {
                let base = workspace ?? (location.file as NSString).deletingLastPathComponent
                target = (base as NSString).appendingPathComponent(target)
            }
            let path = BazelrcReader.normalized(target)
            if let start = stack.firstIndex(of: path) {
                let loop = (stack[start...] + [path]).joined(separator: " -> ")
                throw InputError(path: location.file, reason: "import cycle: \(loop)", line: location.line)
            }
            guard FileManager.default.fileExists(atPath: path) else {
                if keyword == "try-import" {
                    skipped.append(path)
                    return
                }
                throw InputError(path: location.file, reason: "imported file does not exist: \(path)", line: location.line)
            }
            try read(path: path, stack: stack)
        }
    }
}
