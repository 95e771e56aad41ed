import Foundation
import HeadroomAnalysis

/// What a rule is for, in words and in examples; `headroom explain` and the README's rule table
/// are generated from it, and the tests run its examples.
public struct RuleDescription: Sendable {
    /// `area.name`, lower case with dashes (`heap.oversized`).
    public var identifier: String
    public var title: String
    /// Why the rule exists and where each threshold comes from (Markdown).
    public var rationale: String
    public var stage: RuleStage
    /// Facts the rule must find something in.
    public var triggeringExamples: [RuleExample]
    /// Facts the rule must stay quiet about.
    public var nonTriggeringExamples: [RuleExample]

    public init(
        identifier: String, title: String, rationale: String, stage: RuleStage = .advice, triggeringExamples: [RuleExample],
        nonTriggeringExamples: [RuleExample]
    ) {
        self.identifier = identifier
        self.title = title
        self.rationale = rationale
        self.stage = stage
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}

/// Facts written as a rule example; remembers the file and line it was written on, so a failing
/// example points into the rule's own file.
public struct RuleExample: Sendable, CustomStringConvertible {
    public var name: String
    public var facts: Facts
    /// Text the findings must contain (a flag, a figure); checked by the tests.
    public var expecting: [String]
    /// Text the findings must not contain (a flag the release lacks).
    public var rejecting: [String]
    public var file: String
    public var line: Int

    public init(
        _ name: String, expecting: [String] = [], rejecting: [String] = [], file: String = #filePath, line: Int = #line,
        _ fill: (inout Facts) -> Void
    ) {
        self.name = name
        self.facts = Facts.with(fill)
        self.expecting = expecting
        self.rejecting = rejecting
        self.file = file
        self.line = line
    }

    public var description: String { "\(name) (\((file as NSString).lastPathComponent):\(line))" }
}
