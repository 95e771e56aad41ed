import Foundation
import Testing
import HeadroomKit

/// The plan: one heap decision, each option once, nothing the release lacks.
@Suite struct PlannerTests {

    static func finding(_ rule: String, heap: HeapDecision? = nil, settings: [BazelSetting] = []) -> Finding {
        Finding(rule: rule, severity: .warning, summary: rule, detail: "", settings: settings, heap: heap)
    }

    static func merge(_ findings: [Finding], release: String? = nil) -> Plan {
        var facts = Facts()
        facts.heap.configuredMax = .gib(4)
        if let release { facts.bazel.release = Sourced(release, source: "test") }
        var merger = PlanMerger(facts: facts)
        merger.add(findings)
        merger.settleHeap()
        return merger.finish()
    }

    @Test func aHoldRefusesEveryHeapChange() {
        let plan = Self.merge([
            Self.finding("heap.undersized", heap: HeapDecision(.raise, to: 8 << 30, basis: "GC time")),
            Self.finding("heap.leak-suspected", heap: HeapDecision(.hold, to: nil, basis: "growing")),
        ])
        #expect(plan.heap?.action == .hold)
        #expect(plan.heap?.targetBytes == nil)
        #expect(plan.heap?.setting == nil)
        #expect(plan.notes.contains { $0.contains("heap.undersized") && $0.contains("refused") })
    }

    @Test func aRaiseBeatsALowerAndTheLargestRaiseWins() {
        let plan = Self.merge([
            Self.finding("heap.oversized", heap: HeapDecision(.lower, to: 2 << 30, basis: "live × 3")),
            Self.finding("heap.undersized", heap: HeapDecision(.raise, to: 6 << 30, basis: "a")),
            Self.finding("heap.thrashing", heap: HeapDecision(.raise, to: 8 << 30, basis: "b")),
        ])
        #expect(plan.heap?.action == .raise)
        #expect(plan.heap?.targetBytes == 8 << 30)
        #expect(plan.heap?.rules == ["heap.undersized", "heap.thrashing"])
        #expect(plan.heap?.setting?.argument == "--host_jvm_args=-Xmx8g")
        #expect(plan.notes.contains { $0.contains("heap.oversized") })
    }

    @Test func anOptionAppearsOnceWithEveryRuleAndTheSmallerNumberWins() {
        let plan = Self.merge([
            Self.finding("a.one", settings: [.value(.build, "jobs", "64", reason: "a")]),
            Self.finding("b.two", settings: [.value(.build, "jobs", "48", reason: "b")]),
        ], release: "7.1.0")
        #expect(plan.settings.count == 1)
        #expect(plan.settings[0].setting.argument == "--jobs=48")
        #expect(plan.settings[0].rules == ["a.one", "b.two"])
        #expect(plan.settings[0].verified)
    }

    @Test func optionsTheReleaseLacksAreDroppedWithTheReason() {
        let findings = [
            Self.finding("remote.merkle-tree-memory", settings: [.boolean(.build, "experimental_remote_merkle_tree_cache", true, reason: "r")]),
            Self.finding("cgroup.memory-max", settings: [.value(.build, "local_ram_resources", "4096", reason: "r")]),
        ]
        let nine = Self.merge(findings, release: "9.0.0")
        #expect(nine.settings.isEmpty)
        #expect(nine.dropped.map(\.argument) == ["--experimental_remote_merkle_tree_cache", "--local_ram_resources=4096"])
        let six = Self.merge(findings, release: "6.4.0")
        #expect(six.settings.count == 2)
        #expect(six.dropped.isEmpty)
        let unknown = Self.merge(findings)
        #expect(unknown.settings.allSatisfy { !$0.verified })
    }

    @Test func laterStagesSeeThePlannedHeap() throws {
        // The cgroup rule sizes MemoryMax around the heap the heap rules chose, not the configured one.
        var facts = Facts()
        facts.heap.configuredMax = .gib(14)
        facts.liveSet.peak = .mib(500)
        facts.heap.collector = Sourced(.g1, source: "test")
        facts.host.memory = .gib(64)
        let report = AnalysisReport.make(facts: facts)
        #expect(report.facts.planned.maxHeap?.value == 1536 << 20)
        let cgroup = try #require(report.plan.cgroup)
        #expect(cgroup.limits.memoryMaxBytes < 4 << 30)
    }
}
