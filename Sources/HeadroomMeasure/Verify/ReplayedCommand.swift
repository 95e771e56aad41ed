import HeadroomStore

/// The Bazel command `verify` runs, and why it may: the user's own (`-- bazel …` on verify's
/// command line), or the one a bundle recorded, taken as data. From a bundle, the program is
/// never the one it names: its first word must be `bazel` or `bazelisk`, and that name is looked
/// up on this machine's PATH (or `--bazel PATH` is used). Startup options pass
/// `StartupOptionAllowlist`, the command `CommandOptionAllowlist`; everything else is dropped and
/// listed. A bundle recorded on another host or by another user (`BundleProvenance`) with options
/// beyond the allowlists is refused unless the user gives `--trust-bundle`, which replays them.
public struct ReplayedCommand: Sendable, Equatable {
    /// Why the recorded command is not run.
    public struct Refusal: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// The bundle recorded no command.
            case noCommand
            /// The bundle named a program that is not Bazel, or a Bazel command not on the list.
            case notBazel
            /// A bundle from elsewhere has options beyond the allowlists, and no `--trust-bundle`.
            case beyondAllowlist
            /// No `bazel` (or `bazelisk`) on this machine's PATH.
            case bazelMissing
        }

        public var kind: Kind
        public var reason: String
        public var description: String { reason }
    }

    /// What the user said on verify's command line.
    public struct Choice: Sendable {
        /// `--bazel PATH`: the program to run, whatever the bundle names.
        public var bazel: String?
        /// `--trust-bundle`: replay the recorded options beyond the allowlists too.
        public var trustBundle = false
        /// The folders to look for `bazel` or `bazelisk` in.
        public var searchPath: String

        public init(bazel: String? = nil, trustBundle: Bool = false, searchPath: String) {
            self.bazel = bazel
            self.trustBundle = trustBundle
            self.searchPath = searchPath
        }
    }

    public var invocation: BazelInvocation
    /// The recorded words left out, as recorded.
    public var dropped: [String] = []
    /// Recorded words beyond the allowlists that `--trust-bundle` let through.
    public var trusted: [String] = []

    /// The names a bundle's first word may have.
    public static let bazelNames: Set<String> = ["bazel", "bazelisk"]

    /// The user's own command, with `--bazel` in place of its first word when given.
    public static func fromUser(_ words: [String], choice: Choice) -> ReplayedCommand? {
        guard var invocation = BazelInvocation(words) else { return nil }
        if let bazel = choice.bazel { invocation.binary = bazel }
        return ReplayedCommand(invocation: invocation)
    }

    /// The command `file` (a bundle's `record.json`) recorded, as far as it may be run here.
    public static func fromBundle(
        _ words: [String], file: String, provenance: BundleProvenance, choice: Choice
    ) throws(Refusal) -> ReplayedCommand {
        guard let recorded = BazelInvocation(words) else {
            throw Refusal(kind: .noCommand, reason: "\(file): no recorded command to run; give one after --")
        }
        let named = recorded.binary.split(separator: "/").last.map(String.init) ?? recorded.binary
        guard bazelNames.contains(named) else {
            throw Refusal(
                kind: .notBazel, reason: "\(file): refused: the recorded command runs \(shown(recorded.binary)), not bazel or bazelisk; "
                    + "verify runs only Bazel: give the command after -- (e.g. -- bazel test //...)")
        }
        guard let binary = choice.bazel ?? ExecutableSearch.find(named, in: choice.searchPath) else {
            throw Refusal(kind: .bazelMissing, reason: "\(file): the recorded command runs \(named), which is not on PATH here: give --bazel PATH")
        }
        var result = ReplayedCommand(invocation: BazelInvocation(binary: binary, startupOptions: [], command: recorded.command, arguments: []))
        var beyond: [String] = []
        for option in recorded.startupOptions {
            if StartupOptionAllowlist.allows(option) { result.invocation.startupOptions.append(option) } else { beyond.append(option) }
        }
        var afterSeparator = false
        for word in recorded.arguments {
            if word == "--" { afterSeparator = true }
            if afterSeparator || CommandOptionAllowlist.allows(word) { result.invocation.arguments.append(word) } else { beyond.append(word) }
        }
        guard CommandOptionAllowlist.commands.contains(recorded.command) || choice.trustBundle else {
            throw Refusal(
                kind: .notBazel, reason: "\(file): refused: the recorded command is bazel \(shown(recorded.command)); verify replays only "
                    + CommandOptionAllowlist.commands.sorted().joined(separator: ", ") + " without --trust-bundle")
        }
        if choice.trustBundle {
            result.invocation.startupOptions = recorded.startupOptions
            result.invocation.arguments = recorded.arguments
            result.trusted = beyond
            return result
        }
        if !beyond.isEmpty, !provenance.isLocal {
            throw Refusal(
                kind: .beyondAllowlist, reason: "\(file): refused: the bundle was recorded on \(provenance.recordedDescription), not here (\(provenance.localDescription)), "
                    + "and its command has options verify does not replay without --trust-bundle: \(beyond.map(shown).joined(separator: " ")); "
                    + "give --trust-bundle to replay them, or the command after --")
        }
        result.dropped = beyond
        return result
    }

    /// A recorded word for a message: shell-quoted and on one line, however long or odd it is.
    static func shown(_ word: String) -> String {
        let short = word.count > 200 ? String(word.prefix(200)) + "…" : word
        return VisibleText.oneLine(ShellQuoting.quote(short))
    }
}
