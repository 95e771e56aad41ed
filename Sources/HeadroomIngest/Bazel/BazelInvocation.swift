import HeadroomCore

/// A Bazel command line split the way the client reads it: the binary, startup options (before
/// the command), the command, and the command's arguments.
public struct BazelInvocation: Sendable, Equatable {
    public var binary: String
    public var startupOptions: [String]
    public var command: String
    public var arguments: [String]

    public init(binary: String, startupOptions: [String], command: String, arguments: [String]) {
        self.binary = binary
        self.startupOptions = startupOptions
        self.command = command
        self.arguments = arguments
    }

    /// Splits `bazel [STARTUP…] COMMAND [ARGS…]`; nil when there is no command.
    public init?(_ words: [String]) {
        guard let binary = words.first else { return nil }
        var index = 1
        var startup: [String] = []
        while index < words.count, words[index].hasPrefix("-") {
            startup.append(words[index])
            index += 1
        }
        guard index < words.count else { return nil }
        self.init(binary: binary, startupOptions: startup, command: words[index], arguments: Array(words[(index + 1)...]))
    }

    /// The words to run.
    public var words: [String] { [binary] + startupOptions + [command] + arguments }

    /// Another command (`info`, `shutdown`) with the same startup options: anything else would
    /// restart the server.
    public func sibling(_ command: String, _ arguments: [String] = []) -> BazelInvocation {
        BazelInvocation(binary: binary, startupOptions: startupOptions, command: command, arguments: arguments)
    }

    /// Whether a startup option with this name (`--output_base`) is given.
    public func hasStartupOption(_ name: String) -> Bool {
        startupOptions.contains { $0 == name || $0.hasPrefix(name + "=") }
    }

    /// Whether the command's arguments set an option (`--profile`), before any `--` separator.
    public func hasArgument(_ name: String) -> Bool {
        for argument in arguments {
            if argument == "--" { return false }
            if argument == name || argument.hasPrefix(name + "=") { return true }
        }
        return false
    }
}
