import HeadroomAnalysis

/// Flags a server without an explicit `-Xmx` under a memory limit: the JVM then sizes its heap
/// from the limit, not from the machine, and it shrinks.
public struct CgroupDefaultHeapShrinksRule: Rule {
    public static let description = RuleDescription(
        identifier: "cgroup.default-heap-shrinks",
        title: "A memory limit shrinks the default heap",
        rationale: """
            Bazel sets no `-Xmx`, so the JVM's default applies: `MaxRAMPercentage` (25 % unless set) of \
            the memory it sees, and with container support (on by default; cgroup v2 since JDK 15 and \
            11.0.16) that is the cgroup limit, not host RAM. Putting the server under `MemoryMax` \
            therefore quietly cuts its heap to a quarter of the limit. Fires when no `-Xmx` is set and a \
            limit is known (the planned `MemoryMax`, else the measured cgroup limit), and pins `-Xmx` to \
            the planned heap, else the heap the JVM had, else the heap the live set supports (live set \
            × 3–4, "Java Performance"). A warning when the default would be smaller than that heap.
            """,
        stage: .advice,
        triggeringExamples: [
            RuleExample("planned 8 GiB limit, planned 4 GiB heap", expecting: ["pin -Xmx4g", "2.00 GiB", "25"]) {
                $0.planned.memoryMax = .gib(8)
                $0.planned.maxHeap = .gib(4)
            },
            RuleExample("measured limit, 50 % set, heap from the live set", expecting: ["pin -Xmx3g", "8.00 GiB", "50"]) {
                $0.cgroup.limit = .gib(16)
                $0.heap.maxRAMPercentage = 50.0
                $0.liveSet.peak = .gib(1)
            },
            RuleExample("no heap figure at all: still warns of the default", expecting: ["1.00 GiB"]) {
                $0.cgroup.limit = .gib(4)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("explicit -Xmx") {
                $0.heap.configuredMax = .gib(4)
                $0.planned.memoryMax = .gib(8)
            },
            RuleExample("no limit") {
                $0.heap.effectiveMax = .gib(16)
                $0.host.memory = .gib(64)
            },
        ])

    /// The JVM's `MaxRAMPercentage` default (HotSpot, `-XX:MaxRAMPercentage=25`).
    static let defaultMaxRAMPercentage = 25.0

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard facts.heap.configuredMax == nil, let limit = MemoryLimitInForce(facts) else { return [] }
        let percentage = facts.heap.maxRAMPercentage?.value ?? Self.defaultMaxRAMPercentage
        let defaultHeap = Int64(Double(limit.bytes) * percentage / 100)
        var evidence: [Finding.Evidence] = [limit.evidence]
        if let set = facts.heap.maxRAMPercentage { evidence.append(.value("MaxRAMPercentage", set)) }
        let percentText = "\(HeapSizing.format(percentage)) % of the limit, " + (facts.heap.maxRAMPercentage == nil ? "the JVM's default share" : "as MaxRAMPercentage sets")
        let summary = "No -Xmx is set, so under \(limit.name) of \(Formatting.bytes(limit.bytes)) the JVM's default heap would be \(Formatting.bytes(defaultHeap)) (\(percentText))"
        let why = "Without -Xmx the JVM takes MaxRAMPercentage of the memory it sees, and inside a cgroup it sees the limit, not the machine's RAM."

        guard let target = pinTarget(facts) else {
            return [
                Finding(
                    rule: Self.description.identifier, severity: .warning,
                    summary: summary + "; set -Xmx explicitly.",
                    detail: why + " No heap size or live set is known to pin -Xmx to; measure the live set (a GC log) and set -Xmx from it.",
                    evidence: evidence)
            ]
        }
        evidence.append(contentsOf: target.evidence)
        let shrinks = defaultHeap < target.bytes
        return [
            Finding(
                rule: Self.description.identifier, severity: shrinks ? .warning : .advice,
                summary: summary + "; pin -Xmx\(ByteSize.jvmArgument(target.bytes)).",
                detail: why + " The heap wanted is \(Formatting.bytes(target.bytes)) (\(target.basis))"
                    + (shrinks ? ", \(Formatting.bytes(target.bytes - defaultHeap)) more than the default would give." : "; the default would be larger today, but an explicit -Xmx keeps the heap from changing whenever the limit does."),
                evidence: evidence,
                heap: HeapDecision(.pin, to: target.bytes, basis: target.basis))
        ]
    }

    /// The heap to pin: the plan's, else the one the JVM had, else the one the live set supports.
    private func pinTarget(_ facts: Facts) -> (bytes: Int64, basis: String, evidence: [Finding.Evidence])? {
        if let planned = facts.planned.maxHeap { return (planned.value, "the planned heap", [.bytes("planned heap", planned)]) }
        if let effective = facts.heap.effectiveMax { return (effective.value, "the heap the JVM had", [.bytes("effective maximum heap", effective)]) }
        if let supported = HeapSizing.supportedHeap(facts), let live = facts.liveSet.peak {
            return (supported.bytes, supported.basis, [.bytes("peak live set", live)])
        }
        return nil
    }
}
