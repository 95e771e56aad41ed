import HeadroomAnalysis

/// Flags kernel OOM kills of the Bazel server, and says whether its own limit or the whole
/// machine ran out.
public struct OOMServerKilledRule: Rule {
    public static let description = RuleDescription(
        identifier: "oom.server-killed",
        title: "The kernel killed the Bazel server",
        rationale: """
            A killed server loses its analysis cache and fails every command in flight. The kernel's \
            report says why (`oom-kill:constraint=`): `CONSTRAINT_MEMCG` means the cgroup's own limit \
            was reached, so the limit is below what the server and what runs beside it need; \
            `CONSTRAINT_NONE` means the machine as a whole was overcommitted, so the build needs a \
            limit of its own and less concurrency. Any kill fires (no threshold: one is a failed \
            build); critical, one finding per constraint, counting kills.
            """,
        triggeringExamples: [
            RuleExample("killed twice at a 6 GiB limit, plan says 8 GiB", expecting: ["twice", "6.00 GiB", "8.00 GiB", "CONSTRAINT_MEMCG"]) {
                $0.oomKills = [
                    OOMKillFact(classification: .bazelServer, constraint: .memcg, victim: "java", limitBytes: 6 * ByteSize.gib),
                    OOMKillFact(classification: .bazelServer, constraint: .memcg, victim: "java", limitBytes: 6 * ByteSize.gib),
                ]
                $0.planned.memoryMax = .gib(8)
            },
            RuleExample("global OOM", expecting: ["overcommitted", "MemoryMax", "--jobs=12"]) {
                $0.oomKills = [OOMKillFact(classification: .bazelServer, constraint: .global, victim: "java", victimRSSBytes: 12 * ByteSize.gib)]
                $0.host.cpus = 16
            },
            RuleExample("one of each", expecting: ["4.00 GiB", "overcommitted"]) {
                $0.oomKills = [
                    OOMKillFact(classification: .bazelServer, constraint: .memcg, victim: "java", limitBytes: 4 * ByteSize.gib),
                    OOMKillFact(classification: .bazelServer, constraint: .global, victim: "java"),
                ]
            },
        ],
        nonTriggeringExamples: [
            RuleExample("only a test was killed") {
                $0.oomKills = [OOMKillFact(classification: .testOrAction, constraint: .memcg, victim: "python3", limitBytes: 8 * ByteSize.gib)]
            },
            RuleExample("no kills") {
                $0.cgroup.limit = .gib(8)
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        OOMKillGroup.groups(facts, of: .bazelServer).map { group in
            let times = group.times
            switch group.constraint {
            case .memcg:
                let limit = group.limit(facts)
                let limitText = limit.map { " (\(Formatting.bytes($0)))" } ?? ""
                return finding(
                    group, facts,
                    summary: "The kernel killed the Bazel server \(times) at its cgroup limit\(limitText): the limit is below what the server needs.",
                    advice: plannedComparison(facts, limit: limit))
            case .global:
                return finding(
                    group, facts,
                    summary: "The kernel killed the Bazel server \(times) because the machine was overcommitted.",
                    advice: "Run the build under a MemoryMax (cgroup.memory-max sizes one) so it is held to its own budget and throttled at MemoryHigh before the machine runs out, and lower concurrency so tests and actions leave the server room.",
                    settings: [LocalConcurrency.cutJobs(facts, because: "the machine ran out of memory with this many actions")].compactMap { $0 })
            case .other, .unknown:
                return finding(
                    group, facts, summary: "The kernel killed the Bazel server \(times).",
                    advice: "Find what constrained it in the kernel log (`headroom oom`), then size the limit from the plan.")
            }
        }
    }

    private func finding(_ group: OOMKillGroup, _ facts: Facts, summary: String, advice: String, settings: [BazelSetting] = []) -> Finding {
        group.finding(
            rule: Self.description.identifier, severity: .critical, facts, summary: summary,
            cost: "A killed server loses its analysis cache and fails the command in flight.", advice: advice, settings: settings)
    }

    /// What the plan's limit says about the one the server was killed at.
    private func plannedComparison(_ facts: Facts, limit: Int64?) -> String {
        guard let planned = facts.planned.memoryMax else {
            return "Raise the limit to what the server and its tests need (cgroup.memory-max works it out), or lower the heap."
        }
        guard let limit else { return "The plan's MemoryMax is \(Formatting.bytes(planned.value)); run under it." }
        if planned.value > limit {
            return "The plan's MemoryMax is \(Formatting.bytes(planned.value)), \(Formatting.bytes(planned.value - limit)) more: run under it."
        }
        return "The plan's MemoryMax (\(Formatting.bytes(planned.value))) is no larger, so what runs inside must shrink: a smaller heap or fewer tests at once."
    }
}
