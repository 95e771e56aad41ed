import HeadroomAnalysis

/// Flags swap that lets the server and its tests go past their memory limit unnoticed.
public struct CgroupSwapHidesOveruseRule: Rule {
    public static let description = RuleDescription(
        identifier: "cgroup.swap-hides-overuse",
        title: "Swap lets the build exceed its memory limit",
        rationale: """
            `MemoryMax` counts memory in RAM only: with swap allowed, a cgroup at its limit pages out \
            instead of being throttled or killed, so tests and actions run past the limit, slowly, and \
            the measured peak understates what they need (bazel #26076). `MemorySwapMax=0` stops that \
            (systemd; on cgroup v1 the equivalent is `memory.memsw.limit_in_bytes` = \
            `memory.limit_in_bytes`). Fires when the cgroup used any swap (warning), or when the host \
            has swap, a limit is known (planned or measured) and the cgroup's swap is not limited to 0 \
            (advice). No threshold: any swap under a limit hides overuse.
            """,
        triggeringExamples: [
            RuleExample("the cgroup swapped", expecting: ["MemorySwapMax=0", "300 MiB", "#26076"]) {
                $0.cgroup.swapPeak = .mib(300)
                $0.cgroup.limit = .gib(8)
            },
            RuleExample("host swap, planned limit, swap not limited", expecting: ["MemorySwapMax=0", "4.00 GiB", "memory.memsw.limit_in_bytes"]) {
                $0.host.swapTotal = .gib(4)
                $0.planned.memoryMax = .gib(8)
            },
            RuleExample("host swap, measured limit, swap limit above 0", expecting: ["MemorySwapMax=0"]) {
                $0.host.swapTotal = .gib(2)
                $0.cgroup.limit = .gib(6)
                $0.cgroup.swapLimit = .gib(1)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("swap already limited to 0") {
                $0.host.swapTotal = .gib(4)
                $0.cgroup.limit = .gib(8)
                $0.cgroup.swapLimit = .mib(0)
            },
            RuleExample("host swap but no limit") {
                $0.host.swapTotal = .gib(4)
            },
            RuleExample("no swap on the host") {
                $0.host.swapTotal = .mib(0)
                $0.planned.memoryMax = .gib(8)
                $0.cgroup.swapPeak = .mib(0)
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        let limit = MemoryLimitInForce(facts)
        let limitText = limit.map { "\($0.name) (\(Formatting.bytes($0.bytes)))" } ?? "the memory limit"
        let why = "MemoryMax counts RAM only, so with swap allowed a cgroup at its limit pages out instead of being throttled or killed: tests and actions run past \(limitText), slowly, and the measured peak understates what they need (bazel #26076). "
            + "Set MemorySwapMax=0 on the scope; on cgroup v1 the equivalent is memory.memsw.limit_in_bytes = memory.limit_in_bytes."
        var evidence: [Finding.Evidence] = limit.map { [$0.evidence] } ?? []
        // Without swap on the host a swap figure is a measuring artefact (v1 reads memsw and
        // usage at two moments), not swap.
        if let swapPeak = facts.cgroup.swapPeak, swapPeak.value > 0, facts.host.swapTotal.map({ $0.value > 0 }) ?? true {
            evidence.insert(.bytes("cgroup swap peak", swapPeak), at: 0)
            return [
                Finding(
                    rule: Self.description.identifier, severity: .warning,
                    summary: "The build's cgroup swapped out \(Formatting.bytes(swapPeak.value)), which hides how far it went past its limit; set MemorySwapMax=0.",
                    detail: "Up to \(Formatting.bytes(swapPeak.value)) of the cgroup's memory was in swap. " + why,
                    evidence: evidence)
            ]
        }
        guard let swap = facts.host.swapTotal, swap.value > 0, let limit else { return [] }
        if let swapLimit = facts.cgroup.swapLimit, swapLimit.value <= 0 { return [] }
        evidence.insert(.bytes("host swap", swap), at: 0)
        let allowed = facts.cgroup.swapLimit.map { "limited to \(Formatting.bytes($0.value))" } ?? "not limited"
        if let swapLimit = facts.cgroup.swapLimit { evidence.append(.bytes("cgroup swap limit", swapLimit)) }
        return [
            Finding(
                rule: Self.description.identifier, severity: .advice,
                summary: "The host has \(Formatting.bytes(swap.value)) of swap and the cgroup's swap is \(allowed), so the \(Formatting.bytes(limit.bytes)) limit can be exceeded unseen; set MemorySwapMax=0.",
                detail: why, evidence: evidence)
        ]
    }
}
