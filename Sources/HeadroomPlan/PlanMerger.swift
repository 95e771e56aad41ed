import HeadroomRules

/// Folds findings into a plan: reconciles heap decisions, merges repeated options, drops options
/// the release lacks.
package struct PlanMerger {
    private let facts: Facts
    private let support: FlagSupport
    private var plan: Plan
    private var heapDecisions: [(decision: HeapDecision, rule: String)] = []
    private var limits: [(limits: CgroupLimits, rule: String)] = []

    package init(facts: Facts) {
        self.facts = facts
        support = FlagSupport(facts)
        plan = Plan(release: facts.bazel.release?.value ?? "unknown")
    }

    package mutating func add(_ findings: [Finding]) {
        for finding in findings {
            if let heap = finding.heap { heapDecisions.append((heap, finding.rule)) }
            if let cgroup = finding.cgroup { limits.append((cgroup, finding.rule)) }
            for setting in finding.settings { add(setting, rule: finding.rule) }
            for command in finding.commands where !plan.commands.contains(command) { plan.commands.append(command) }
            for item in finding.collect where !plan.collect.contains(item) { plan.collect.append(item) }
        }
    }

    /// The heap after the decisions so far: the planned target, else the current maximum.
    var plannedHeap: Sourced<Int64>? {
        if let heap = plan.heap, let target = heap.targetBytes {
            return Sourced(target, source: "plan (\(heap.rules.joined(separator: ", ")))")
        }
        return facts.heap.max
    }

    var plannedMemoryMax: Sourced<Int64>? {
        guard let cgroup = chosenLimits else { return nil }
        return Sourced(cgroup.limits.memoryMaxBytes, source: "plan (\(cgroup.rules.joined(separator: ", ")))")
    }

    /// Reconciles the heap decisions: a hold refuses every change; a raise beats a lower (too
    /// small a heap fails builds, too large one only wastes memory); among equals the largest
    /// target wins; a pin only makes the current heap explicit.
    package mutating func settleHeap() {
        guard !heapDecisions.isEmpty else { return }
        let current = facts.heap.max?.value
        func rules(_ action: HeapDecision.Action) -> [String] { heapDecisions.filter { $0.decision.action == action }.map(\.rule) }
        func largest(_ action: HeapDecision.Action) -> HeapDecision? {
            heapDecisions.map(\.decision).filter { $0.action == action && $0.targetBytes != nil }.max { $0.targetBytes! < $1.targetBytes! }
        }
        plan.notes.removeAll { $0.hasPrefix(Self.heapNotePrefix) }
        let holds = heapDecisions.filter { $0.decision.action == .hold }
        if let hold = holds.first {
            for other in heapDecisions where other.decision.action == .raise || other.decision.action == .lower {
                plan.notes.append("\(Self.heapNotePrefix)\(other.rule) proposed -Xmx\(other.decision.targetBytes.map(ByteSize.jvmArgument) ?? "?"); refused by \(hold.rule): the heap is kept until the growth is explained")
            }
            plan.heap = Plan.Heap(action: .hold, currentBytes: current, targetBytes: nil, basis: hold.decision.basis, rules: holds.map(\.rule))
            return
        }
        for action in [HeapDecision.Action.raise, .lower, .pin] {
            guard let chosen = largest(action) else { continue }
            if action == .raise {
                for lower in heapDecisions where lower.decision.action == .lower {
                    plan.notes.append("\(Self.heapNotePrefix)\(lower.rule) proposed lowering to -Xmx\(lower.decision.targetBytes.map(ByteSize.jvmArgument) ?? "?"); the raise wins: signs of a heap too small outweigh the waste of one too large")
                }
            }
            plan.heap = Plan.Heap(action: action, currentBytes: current, targetBytes: chosen.targetBytes, basis: chosen.basis, rules: rules(action))
            return
        }
    }

    package func finish() -> Plan {
        var plan = plan
        if let chosen = chosenLimits { plan.cgroup = chosen }
        return plan
    }

    private static let heapNotePrefix = "heap: "

    private var chosenLimits: Plan.Limits? {
        guard let largest = limits.max(by: { $0.limits.memoryMaxBytes < $1.limits.memoryMaxBytes }) else { return nil }
        return Plan.Limits(limits: largest.limits, rules: limits.map(\.rule).uniqued())
    }

    private mutating func add(_ setting: BazelSetting, rule: String) {
        switch support.has(setting.flag) {
        case false?:
            plan.dropped.append(Plan.Dropped(argument: setting.argument, rule: rule, reason: "Bazel \(plan.release) does not have --\(setting.flag)"))
            return
        default: break
        }
        let verified = support.has(setting.flag) == true
        if let index = plan.settings.firstIndex(where: { $0.setting.flag == setting.flag && $0.setting.scope == setting.scope }) {
            var existing = plan.settings[index]
            if existing.setting.argument != setting.argument {
                // Two values for one option: the smaller number is the safer concurrency or size.
                if let new = Self.number(setting.argument), let old = Self.number(existing.setting.argument), new < old {
                    plan.notes.append("--\(setting.flag): \(rule) asks for \(setting.argument), \(existing.rules.joined(separator: ", ")) for \(existing.setting.argument); the smaller value is kept")
                    existing.setting = setting
                } else {
                    plan.notes.append("--\(setting.flag): \(rule) asks for \(setting.argument), \(existing.rules.joined(separator: ", ")) for \(existing.setting.argument); \(existing.setting.argument) is kept")
                }
            }
            if !existing.rules.contains(rule) { existing.rules.append(rule) }
            plan.settings[index] = existing
        } else {
            plan.settings.append(Plan.Setting(setting: setting, rules: [rule], verified: verified))
        }
    }

    /// The number after the last `=` of an option (`--jobs=64` → 64).
    private static func number(_ argument: String) -> Double? {
        guard let equals = argument.lastIndex(of: "=") else { return nil }
        return Double(argument[argument.index(after: equals)...])
    }
}

package extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
