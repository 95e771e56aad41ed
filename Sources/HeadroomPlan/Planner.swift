import HeadroomRules

/// Runs the rules stage by stage and merges their findings into a `Plan`.
///
/// Heap rules run first; the heap they settle on becomes `Facts.planned.maxHeap` for the cgroup
/// rules, whose `MemoryMax` becomes `Facts.planned.memoryMax` for the rest.
public struct Planner: Sendable {
    public var rules: [any Rule.Type]

    public init(rules: [any Rule.Type] = RuleRegistry.rules) {
        self.rules = rules
    }

    /// The findings (most severe first, registry order within a severity) and the plan.
    public func run(_ facts: Facts) -> (facts: Facts, findings: [Finding], plan: Plan) {
        var facts = facts
        var findings: [Finding] = []
        var merger = PlanMerger(facts: facts)
        for stage in RuleStage.allCases {
            for rule in rules where rule.description.stage == stage {
                let found = rule.init().evaluate(facts)
                findings += found
                merger.add(found)
            }
            switch stage {
            case .heap:
                merger.settleHeap()
                facts.planned.maxHeap = merger.plannedHeap
            case .limits:
                facts.planned.memoryMax = merger.plannedMemoryMax
            case .advice:
                merger.settleHeap()
            }
        }
        let order = Dictionary(rules.enumerated().map { ($0.element.description.identifier, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let sorted = findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            let (ra, rb) = (order[a.element.rule] ?? .max, order[b.element.rule] ?? .max)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return (facts, sorted, merger.finish())
    }
}
