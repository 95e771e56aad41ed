import HeadroomAnalysis

/// One Bazel option as a `.bazelrc` line: `startup --host_jvm_args=-Xmx4g`, `build --jobs=64`.
public struct BazelSetting: Sendable, Codable, Equatable, Hashable {
    /// The `.bazelrc` command the option goes under.
    public enum Scope: String, Sendable, Codable, Equatable, Hashable, CaseIterable {
        case startup
        case common
        case build
        case test
    }

    public var scope: Scope
    /// The flag's name without dashes or a `no` prefix (`track_incremental_state`), as the
    /// release tables know it.
    public var flag: String
    /// The option as written (`--notrack_incremental_state`, `--jobs=64`).
    public var argument: String
    /// Why, with the numbers; the comment beside the line in a `.bazelrc` fragment.
    public var reason: String

    public init(_ scope: Scope, flag: String, argument: String, reason: String) {
        self.scope = scope
        self.flag = flag
        self.argument = argument
        self.reason = reason
    }

    /// `--flag=value`.
    public static func value(_ scope: Scope, _ flag: String, _ value: String, reason: String) -> BazelSetting {
        BazelSetting(scope, flag: flag, argument: "--\(flag)=\(value)", reason: reason)
    }

    /// `--flag` or `--noflag`.
    public static func boolean(_ scope: Scope, _ flag: String, _ on: Bool, reason: String) -> BazelSetting {
        BazelSetting(scope, flag: flag, argument: on ? "--\(flag)" : "--no\(flag)", reason: reason)
    }

    /// The line for a `.bazelrc`.
    public var rcLine: String { "\(scope.rawValue) \(argument)" }
}
