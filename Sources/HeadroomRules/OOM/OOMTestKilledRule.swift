import HeadroomAnalysis

/// Flags kernel OOM kills of tests and actions, and says whether the build's limit or the whole
/// machine ran out.
public struct OOMTestKilledRule: Rule {
    public static let description = RuleDescription(
        identifier: "oom.test-killed",
        title: "The kernel killed tests or actions",
        rationale: """
            A test killed for memory fails or flakes for a reason that is not in its code. The kernel's \
            report says why (`oom-kill:constraint=`): `CONSTRAINT_MEMCG` means the build's cgroup reached \
            its limit, so the limit or the number of tests run at once inside it is wrong — run fewer \
            (`--local_test_jobs` a quarter lower) or use the planned `MemoryMax`; `CONSTRAINT_NONE` means \
            the machine as a whole was overcommitted. Any kill fires (no threshold); a warning, one \
            finding per constraint, counting kills.
            """,
        triggeringExamples: [
            RuleExample("3 kills at the limit with 8 tests at once", expecting: ["3 times", "8.00 GiB", "--local_test_jobs=6", "10.0 GiB"]) {
                $0.oomKills = Array(
                    repeating: OOMKillFact(classification: .testOrAction, constraint: .memcg, victim: "python3", limitBytes: 8 * ByteSize.gib), count: 3)
                $0.flags.localTestJobs = 8
                $0.planned.memoryMax = .gib(10)
            },
            RuleExample("global OOM of a linker", expecting: ["once", "overcommitted", "--jobs=3"]) {
                $0.oomKills = [OOMKillFact(classification: .testOrAction, constraint: .global, victim: "ld", victimRSSBytes: 6 * ByteSize.gib)]
                $0.flags.jobs = 4
            },
        ],
        nonTriggeringExamples: [
            RuleExample("only the server was killed") {
                $0.oomKills = [OOMKillFact(classification: .bazelServer, constraint: .memcg, victim: "java", limitBytes: 8 * ByteSize.gib)]
            },
            RuleExample("an unrelated process was killed") {
                $0.oomKills = [OOMKillFact(classification: .other, constraint: .global, victim: "chrome")]
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        OOMKillGroup.groups(facts, of: .testOrAction).map { group in
            let cost = "Each kill fails or flakes a test or action for a reason that is not in its code."
            switch group.constraint {
            case .memcg:
                let limitText = group.limit(facts).map { " (\(Formatting.bytes($0)))" } ?? ""
                var advice = "The limit, or the number of tests run at once inside it, is wrong: run fewer tests at once"
                if let planned = facts.planned.memoryMax {
                    advice += ", or run under the plan's MemoryMax of \(Formatting.bytes(planned.value))"
                }
                return group.finding(
                    rule: Self.description.identifier, severity: .warning, facts,
                    summary: "The kernel killed tests or actions \(group.times) at the cgroup limit\(limitText): the limit or the test concurrency inside it is wrong.",
                    cost: cost, advice: advice + ".",
                    settings: [LocalConcurrency.cutTestJobs(facts, because: "tests were OOM-killed at the cgroup limit")].compactMap { $0 })
            case .global:
                return group.finding(
                    rule: Self.description.identifier, severity: .warning, facts,
                    summary: "The kernel killed tests or actions \(group.times) because the machine was overcommitted.",
                    cost: cost,
                    advice: "Run fewer actions at once, and run the build under a MemoryMax (cgroup.memory-max sizes one) so it is held to its own budget.",
                    settings: [LocalConcurrency.cutJobs(facts, because: "the machine ran out of memory with this many actions")].compactMap { $0 })
            case .other, .unknown:
                return group.finding(
                    rule: Self.description.identifier, severity: .warning, facts, summary: "The kernel killed tests or actions \(group.times).",
                    cost: cost, advice: "Find what constrained them in the kernel log (`headroom oom`).")
            }
        }
    }
}
