import HeadroomAnalysis

/// Every rule, in the order reports list findings of equal severity: heap sizing first (the
/// figure everything else builds on), then the cgroup around it, then flags, then what is missing.
public enum RuleRegistry {
    public static let rules: [any Rule.Type] = [
        HeapOversizedRule.self,
        HeapUndersizedRule.self,
        HeapThrashingRule.self,
        HeapLeakSuspectedRule.self,
        CgroupMemoryMaxRule.self,
        OOMServerKilledRule.self,
        OOMTestKilledRule.self,
        CgroupServerOutsideScopeRule.self,
        CgroupDefaultHeapShrinksRule.self,
        CgroupSwapHidesOveruseRule.self,
        PressureMemoryStallRule.self,
        RemoteMerkleTreeMemoryRule.self,
        JobsHeapCostRule.self,
        CIOneShotRule.self,
        OOMFailFastRule.self,
        WorkstationIdleServerRule.self,
        EvidenceMissingRule.self,
    ]

    /// The rule with `identifier`, if any.
    public static func rule(_ identifier: String) -> (any Rule.Type)? {
        rules.first { $0.description.identifier == identifier }
    }

    /// One example of one rule, for the tests that run them all.
    public struct LabelledExample: Sendable, CustomStringConvertible {
        public var rule: any Rule.Type
        public var example: RuleExample
        public var triggers: Bool

        public var description: String {
            "\(rule.description.identifier) \(triggers ? "triggers" : "stays quiet"): \(example)"
        }
    }

    /// Every rule's examples, triggering and not.
    public static var allExamples: [LabelledExample] {
        rules.flatMap { rule in
            rule.description.triggeringExamples.map { LabelledExample(rule: rule, example: $0, triggers: true) }
                + rule.description.nonTriggeringExamples.map { LabelledExample(rule: rule, example: $0, triggers: false) }
        }
    }
}
