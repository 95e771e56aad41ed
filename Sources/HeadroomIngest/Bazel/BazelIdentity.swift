import Foundation
import HeadroomCore

/// Which Bazel is in front of us: its release from `bazel --version`, and — for a development
/// or distribution build that names no release — the flags it really has, from
/// `bazel help build --long` and `bazel help startup_options`, cached per binary.
public struct BazelIdentity: Sendable, Codable, Equatable {
    /// The raw `bazel --version` line.
    public var versionText: String
    /// The binary's release, `.unknown` for development builds (`no_version`).
    public var release: BazelRelease { BazelRelease(versionText.replacingOccurrences(of: "bazel ", with: "")) }
    /// Flags the binary lists, by name without dashes, each with its printed default.
    public var probedCommandFlags: [String: String]?
    public var probedStartupFlags: [String: String]?

    package init(versionText: String, probedCommandFlags: [String: String]? = nil, probedStartupFlags: [String: String]? = nil) {
        self.versionText = versionText
        self.probedCommandFlags = probedCommandFlags
        self.probedStartupFlags = probedStartupFlags
    }

    /// Whether `flag` exists: from the probe when there is one, else from the release table.
    public func supports(_ flag: String, startup: Bool = false) -> Bool? {
        if let probed = startup ? probedStartupFlags : probedCommandFlags { return probed[flag] != nil }
        switch BazelFlagTable.availability(of: flag, in: release) {
        case .available, .assumedAvailable: return true
        case .removed, .notYetAdded: return false
        default: return nil
        }
    }

    /// Flag lines of `bazel help … --long`: `  --[no]name (a boolean; default: "false")`.
    package static func parseHelpFlags(_ text: String) -> [String: String] {
        var flags: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("  --") {
            var name = line.dropFirst(4)
            if name.hasPrefix("[no]") { name = name.dropFirst(4) }
            let flag = name.prefix { $0 != " " && $0 != "=" }
            guard !flag.isEmpty else { continue }
            var defaultValue = ""
            if let range = line.range(of: "default: ") {
                defaultValue = String(line[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "\")"))
            }
            flags[String(flag)] = defaultValue
        }
        return flags
    }
}
