import Foundation
import HeadroomCore

/// A resource amount as Bazel's resource options write it: a number, or `auto`, `HOST_CPUS` or
/// `HOST_RAM` optionally followed by `*FACTOR` or `-AMOUNT` (`HOST_CPUS*.5`, `HOST_RAM*.67`).
/// The text is kept; `form` is nil when the text is not one of these shapes.
public struct ResourceAmount: Sendable, Equatable {
    /// What a relative amount is relative to.
    public enum Base: String, Sendable, Equatable {
        case auto
        case hostCPUs = "HOST_CPUS"
        /// Host RAM in MB.
        case hostRAM = "HOST_RAM"
    }

    /// The parsed shape of the text.
    public enum Form: Sendable, Equatable {
        case number(Double)
        case relative(Base, times: Double?, minus: Double?)
    }

    public var text: String
    public var form: Form?

    public init(_ text: String) {
        self.text = text
        form = Self.parse(text)
    }

    /// The amount for a host with `hostCPUs` cores and `hostRAMMegabytes` of RAM; nil for `auto`
    /// and unparsed text, whose meaning depends on the option.
    public func resolved(hostCPUs: Double, hostRAMMegabytes: Double) -> Double? {
        switch form {
        case .number(let value): return value
        case .relative(let base, let times, let minus):
            let start: Double
            switch base {
            case .auto: return nil
            case .hostCPUs: start = hostCPUs
            case .hostRAM: start = hostRAMMegabytes
            }
            return start * (times ?? 1) - (minus ?? 0)
        case nil: return nil
        }
    }

    static func parse(_ text: String) -> Form? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Double(trimmed) { return .number(number) }
        for base in [Base.hostCPUs, .hostRAM, .auto] where trimmed.hasPrefix(base.rawValue) {
            let rest = trimmed.dropFirst(base.rawValue.count)
            if rest.isEmpty { return .relative(base, times: nil, minus: nil) }
            guard let number = Double(rest.dropFirst()) else { return nil }
            switch rest.first {
            case "*": return .relative(base, times: number, minus: nil)
            case "-": return .relative(base, times: nil, minus: number)
            default: return nil
            }
        }
        return nil
    }
}
