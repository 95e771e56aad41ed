import Foundation
import HeadroomCore

/// A Bazel release as `bazel info release` or `bazel version` names it.
///
/// Parses `7.1.2`, `8.0.0rc1`, `8.0.0-pre.20240101.1`, `release 6.4.0` and `head` (the
/// development docs); anything else (`development version`, a hash, empty) is `.unknown`.
/// Numbered releases order by number, a pre-release before its release; `.head` follows every
/// numbered release; `.unknown` sorts first but compares equal to nothing numbered.
public enum BazelRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    case numbered(major: Int, minor: Int, patch: Int, prerelease: String?)
    /// Bazel built from the main branch; the `head` column of the documentation.
    case head
    /// The release could not be told; `text` is what was given.
    case unknown(String)

    public init(_ text: String) {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.lowercased().hasPrefix("release ") { body = String(body.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
        if body.lowercased().hasPrefix("bazel ") { body = String(body.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        if body == "head" {
            self = .head
            return
        }
        // Split "8.0.0rc1" / "8.0.0-pre.2024..." into the numbers and what follows them.
        let numeric = body.prefix { $0.isNumber || $0 == "." }
        var suffix = body.dropFirst(numeric.count)
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && Int($0) != nil }),
            suffix.isEmpty || suffix.first == "-" || suffix.first!.isLetter
        else {
            self = .unknown(text)
            return
        }
        if suffix.first == "-" { suffix = suffix.dropFirst() }
        let numbers = parts.map { Int($0)! } + Array(repeating: 0, count: 3 - parts.count)
        self = .numbered(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: suffix.isEmpty ? nil : String(suffix))
    }

    public static func version(_ major: Int, _ minor: Int, _ patch: Int) -> BazelRelease {
        .numbered(major: major, minor: minor, patch: patch, prerelease: nil)
    }

    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// The release a pre-release leads to (`8.0.0rc1` → `8.0.0`); itself otherwise.
    public var final: BazelRelease {
        if case .numbered(let major, let minor, let patch, _) = self { return .version(major, minor, patch) }
        return self
    }

    public var description: String {
        switch self {
        case .numbered(let major, let minor, let patch, let prerelease): return "\(major).\(minor).\(patch)\(prerelease ?? "")"
        case .head: return "head"
        case .unknown(let text): return text.isEmpty ? "unknown" : text
        }
    }

    public static func < (lhs: BazelRelease, rhs: BazelRelease) -> Bool {
        switch (lhs, rhs) {
        case (.unknown(let a), .unknown(let b)): return a < b
        case (.unknown, _): return true
        case (_, .unknown): return false
        case (.head, _): return false
        case (_, .head): return true
        case (.numbered(let a1, let a2, let a3, let ap), .numbered(let b1, let b2, let b3, let bp)):
            if (a1, a2, a3) != (b1, b2, b3) { return (a1, a2, a3) < (b1, b2, b3) }
            switch (ap, bp) {
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x.compare(y, options: .numeric) == .orderedAscending
            }
        }
    }
}
