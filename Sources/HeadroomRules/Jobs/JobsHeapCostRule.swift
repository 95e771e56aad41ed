import Foundation
import HeadroomAnalysis

/// Flags more remote jobs than the heap can hold the in-flight state of, and names a `--jobs`
/// that fits.
public struct JobsHeapCostRule: Rule {
    public static let description = RuleDescription(
        identifier: "jobs.heap-cost",
        title: "More remote jobs than the heap can hold",
        rationale: """
            With remote execution, `--jobs` is limited by the server's heap rather than the host's \
            CPUs: every action in flight holds its inputs' tree and metadata. The live set beyond \
            analysis (peak − live set after analysis) divided by the jobs gives the heap one job \
            costs. The heap (the planned one, else the current maximum) supports a live set of heap \
            ÷ 3, or ÷ 4 for ZGC and Shenandoah (Hunt & John's 3–4× occupancy after a full GC, \
            "Java Performance"); less the analysis graph, what is left divided by the cost per job is \
            the jobs that fit. Fires when fewer jobs fit than are run, and advises that many (at \
            least 1).
            """,
        triggeringExamples: [
            RuleExample("200 remote jobs in a 4g heap", expecting: ["--jobs=13", "64.1 MiB", "200"]) {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 200
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .gib(13)
                $0.planned.maxHeap = .gib(4)
            },
            RuleExample("analysis alone fills the heap: one job", expecting: ["--jobs=1"]) {
                $0.flags.remoteExecutor = "grpc://x"
                $0.host.cpus = 8
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .gib(1)
                $0.heap.configuredMax = .gib(1)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("the jobs fit") {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 16
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .mib(900)
                $0.heap.configuredMax = .gib(8)
            },
            RuleExample("local execution") {
                $0.flags.jobs = 200
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .gib(13)
                $0.heap.configuredMax = .gib(4)
            },
            RuleExample("execution adds nothing to analysis") {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 200
                $0.liveSet.analysisPhase = .gib(2)
                $0.liveSet.peak = .gib(2)
                $0.heap.configuredMax = .gib(4)
            },
        ])

    /// The fewest jobs advised: Bazel needs one to make progress.
    static let minimumJobs = 1

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let executor = facts.remoteExecutor, let jobs = facts.jobs, jobs.value > 1,
            let analysis = facts.liveSet.analysisPhase, let peak = facts.liveSet.peak, peak.value > analysis.value,
            let heap = facts.planned.maxHeap ?? facts.heap.max
        else { return [] }
        let perJob = Double(peak.value - analysis.value) / Double(jobs.value)
        let factor = HeapSizing.headroomFactor(facts.heap.collector?.value)
        let liveRoom = Double(heap.value) / factor
        let fitting = ((liveRoom - Double(analysis.value)) / perJob).rounded(.down)
        guard fitting < Double(jobs.value) else { return [] }
        let fits = Int(max(fitting, 0))
        let advised = max(Self.minimumJobs, fits)
        let costText = "(\(Formatting.bytes(peak.value)) peak − \(Formatting.bytes(analysis.value)) after analysis) ÷ \(jobs.value) jobs = \(Formatting.bytes(perJob)) per job"
        return [
            Finding(
                rule: Self.description.identifier, severity: .advice,
                summary: "Each remote job holds about \(Formatting.bytes(perJob)) of live heap: a \(ByteSize.jvmArgument(heap.value)) heap fits \(fits) jobs, not \(jobs.value); set --jobs=\(advised).",
                detail: "Live heap per job: \(costText). A \(Formatting.bytes(heap.value)) heap supports a live set of \(Formatting.bytes(liveRoom)) "
                    + "(÷ \(HeapSizing.format(factor))); analysis keeps \(Formatting.bytes(analysis.value)) of it, leaving room for \(fits) jobs.",
                evidence: [
                    .value("remote executor", executor), .value("jobs", jobs), .bytes("peak live set", peak),
                    .bytes("live set after analysis", analysis), .bytes(facts.planned.maxHeap != nil ? "planned heap" : "maximum heap", heap),
                ],
                settings: [.value(.build, "jobs", String(advised), reason: "\(costText); \(advised) fit in \(ByteSize.jvmArgument(heap.value))")])
        ]
    }
}
