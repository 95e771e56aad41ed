import Foundation
import HeadroomAnalysis

/// What one rule concluded from the facts: a one-line summary with numbers, why, the evidence it
/// rests on, and what to change.
public struct Finding: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// How much the finding matters; reports list the most severe first.
    public enum Severity: String, Sendable, Codable, Equatable, Comparable, CaseIterable {
        case info
        case advice
        case warning
        case critical

        private var rank: Int { Severity.allCases.firstIndex(of: self)! }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// One fact a finding cites, rendered, with its source.
    public struct Evidence: Sendable, Codable, Equatable {
        public var label: String
        public var value: String
        public var source: String

        public init(_ label: String, _ value: String, source: String) {
            self.label = label
            self.value = value
            self.source = source
        }

        /// A byte-valued fact.
        public static func bytes(_ label: String, _ fact: Sourced<Int64>) -> Evidence {
            Evidence(label, Formatting.bytes(fact.value), source: fact.source)
        }

        /// A fraction shown as a percentage.
        public static func percent(_ label: String, _ fact: Sourced<Double>) -> Evidence {
            Evidence(label, Formatting.percent(fact.value), source: fact.source)
        }

        /// Any other fact, by its description.
        public static func value<V>(_ label: String, _ fact: Sourced<V>) -> Evidence {
            Evidence(label, "\(fact.value)", source: fact.source)
        }
    }

    public var rule: String
    public var severity: Severity
    public var summary: String
    public var detail: String
    public var evidence: [Evidence]
    /// Bazel options to set; the plan drops those the target release does not have.
    public var settings: [BazelSetting]
    public var heap: HeapDecision?
    public var cgroup: CgroupLimits?
    /// Commands to run, as a person would type them (`bazel shutdown`).
    public var commands: [String]
    /// Evidence to collect next time, with the command that collects it.
    public var collect: [String]

    public init(
        rule: String, severity: Severity, summary: String, detail: String, evidence: [Evidence] = [], settings: [BazelSetting] = [],
        heap: HeapDecision? = nil, cgroup: CgroupLimits? = nil, commands: [String] = [], collect: [String] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.evidence = evidence
        self.settings = settings
        self.heap = heap
        self.cgroup = cgroup
        self.commands = commands
        self.collect = collect
    }

    /// Everything the finding says, for tests that look for a flag or a figure in it.
    public var searchableText: String {
        var parts = [rule, summary, detail] + settings.map(\.argument) + commands + collect
        if let heap { parts.append("\(heap.action.rawValue) -Xmx\(heap.targetBytes.map(ByteSize.jvmArgument) ?? "")") }
        if let cgroup { parts.append(cgroup.description) }
        return parts.joined(separator: "\n")
    }
}
