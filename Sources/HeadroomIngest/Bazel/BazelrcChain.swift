import HeadroomCore

/// The option lines of a chain of rc files, in the order Bazel reads them.
public struct BazelrcChain: Sendable, Equatable {
    /// Every file read, imports included, in reading order.
    public var files: [String]
    /// Files that were absent and skipped: top-level files and `try-import` targets.
    public var skippedFiles: [String]
    public var lines: [BazelrcLine]

    public init(files: [String], skippedFiles: [String], lines: [BazelrcLine]) {
        self.files = files
        self.skippedFiles = skippedFiles
        self.lines = lines
    }

    /// The `startup` options, in order (a later one overrides an earlier one for single-valued flags).
    public var startupOptions: [RcOption] {
        lines.filter { $0.command == "startup" && $0.config == nil }.flatMap(\.options)
    }

    /// The config names defined anywhere in the chain.
    public var configNames: [String] {
        var seen: [String] = []
        for line in lines { if let config = line.config, !seen.contains(config) { seen.append(config) } }
        return seen
    }

    /// The rc options in effect for `command` with the command line's `--config` values, in
    /// Bazel's order (a later option overrides an earlier one for single-valued flags).
    ///
    /// Precedence follows Bazel: `always` and `common` lines first, then the lines of each
    /// inherited command (most general first), then the command's own; within one command, rc
    /// files in reading order. `--config=NAME` is replaced in place by the `COMMAND:NAME` lines
    /// of the same commands, recursively; the command line's configs come last. An unknown
    /// config or a config that includes itself is an error.
    public func effectiveOptions(command: String, configs: [String] = []) throws -> [RcOption] {
        let commands = BazelrcCommandInheritance.commandsToParse(for: command)
        var result: [RcOption] = []
        for name in commands {
            for line in lines where line.command == name && line.config == nil {
                try append(line.options, into: &result, commands: commands, command: command, expanding: [])
            }
        }
        for config in configs {
            try expand(config, at: nil, into: &result, commands: commands, command: command, expanding: [])
        }
        return result
    }

    private func append(_ options: [RcOption], into result: inout [RcOption], commands: [String], command: String, expanding: [String]) throws {
        for option in options {
            if option.name == "config" {
                guard let name = option.value, !name.isEmpty else {
                    throw InputError(path: option.location.file, reason: "--config needs a name", line: option.location.line)
                }
                try expand(name, at: option.location, into: &result, commands: commands, command: command, expanding: expanding)
            } else {
                result.append(option)
            }
        }
    }

    private func expand(_ config: String, at location: SourceLocation?, into result: inout [RcOption], commands: [String], command: String, expanding: [String]) throws {
        if expanding.contains(config) {
            let loop = (expanding + [config]).joined(separator: " -> ")
            throw InputError(path: location?.file ?? "command line", reason: "config cycle: \(loop)", line: location?.line)
        }
        var found = false
        for name in commands {
            for line in lines where line.command == name && line.config == config {
                found = true
                try append(line.options, into: &result, commands: commands, command: command, expanding: expanding + [config])
            }
        }
        if !found {
            throw InputError(
                path: location?.file ?? "command line",
                reason: "config '\(config)' is not defined for '\(command)' in any rc file", line: location?.line)
        }
    }
}
