import HeadroomCore

/// One option line of an rc file: `COMMAND[:CONFIG] WORD...`, after imports are resolved.
public struct BazelrcLine: Sendable, Equatable {
    /// `build`, `test`, `common`, `startup`, ...
    public var command: String
    /// The `--config` group the line belongs to (`build:ci` → `ci`), nil for an unconditional line.
    public var config: String?
    /// The words after the command, unquoted.
    public var words: [String]
    public var location: SourceLocation

    public init(command: String, config: String?, words: [String], location: SourceLocation) {
        self.command = command
        self.config = config
        self.words = words
        self.location = location
    }

    /// The options on this line, with `--flag value` paired for the flags known to take a value.
    public var options: [RcOption] {
        RcOption.parse(words, command: command, config: config, location: location)
    }
}
