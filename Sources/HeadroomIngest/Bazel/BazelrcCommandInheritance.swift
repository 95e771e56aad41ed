import HeadroomCore

/// Which rc lines apply to a Bazel command: `always` and `common` lines, then the lines of each
/// command it inherits options from (most general first), then its own.
///
/// Taken from the `inheritsOptionsFrom` (earlier `inherits`) lists of Bazel's `@Command`
/// annotations and `BlazeOptionHandler.getCommandNamesToParse` (Bazel 7–9): test, run, aquery,
/// info, clean, mobile-install and print_action inherit build; coverage, cquery, fetch and vendor
/// inherit test. `info` inherits build on purpose so that `bazel info` sees the same configuration.
/// Before 7.0 `cquery` inherited build and `fetch` nothing; the difference rarely matters for memory.
public enum BazelrcCommandInheritance {
    /// The command each command inherits options from, if any.
    public static let parents: [String: String] = [
        "test": "build", "run": "build", "aquery": "build", "info": "build", "clean": "build",
        "mobile-install": "build", "print_action": "build", "compdb": "build",
        "coverage": "test", "cquery": "test", "fetch": "test", "vendor": "test",
    ]

    /// The rc commands whose lines apply to `command`, lowest precedence first.
    public static func commandsToParse(for command: String) -> [String] {
        var chain: [String] = []
        var current: String? = command
        while let name = current, !chain.contains(name) {
            chain.insert(name, at: 0)
            current = parents[name]
        }
        return ["always", "common"] + chain
    }
}
