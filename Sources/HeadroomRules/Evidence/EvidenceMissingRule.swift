import HeadroomAnalysis

/// Lists the evidence the report lacked, each with the command that collects it.
public struct EvidenceMissingRule: Rule {
    public static let description = RuleDescription(
        identifier: "evidence.missing",
        title: "Evidence that would make the advice firmer",
        rationale: """
            Every figure Headroom gives rests on a measurement; without one it falls back on a default \
            or says nothing. This rule names what was missing and the command that collects it: the \
            peak live set (the server's GC log, or `headroom record`), the analysis-phase heap \
            (`headroom baseline`), the Bazel release (which decides flag names), the server's RSS peak \
            (`headroom record`), and on CI, where one job's limit is all there is, the build's memory \
            cgroup. No threshold: any missing item is listed. Informational.
            """,
        triggeringExamples: [
            RuleExample(
                "nothing measured", expecting: ["-Xlog:gc*:file=/tmp/bazel-gc.log:time,uptime,level,tags:filecount=5,filesize=20m", "headroom baseline //...", "bazel info release", "headroom record -- bazel build //..."],
                rejecting: ["cgroup"]
            ) { _ in },
            RuleExample("CI run with a GC log but no cgroup", expecting: ["systemd-run --scope", "headroom record -- bazel test //..."], rejecting: ["-Xlog:gc", "bazel info release"]) {
                $0.context = Sourced(.ci, source: "example")
                $0.liveSet.peak = .mib(800)
                $0.liveSet.analysisPhase = .mib(500)
                $0.bazel.release = "7.4.1"
                $0.bazel.command = "test"
                $0.server.rssPeak = .gib(3)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("everything present on a workstation") {
                $0.liveSet.peak = .mib(800)
                $0.liveSet.analysisPhase = .mib(500)
                $0.bazel.release = "8.1.0"
                $0.server.rssPeak = .gib(3)
            },
            RuleExample("everything present on CI") {
                $0.context = Sourced(.ci, source: "example")
                $0.liveSet.peak = .mib(800)
                $0.liveSet.analysisPhase = .mib(500)
                $0.bazel.release = "8.1.0"
                $0.server.rssPeak = .gib(3)
                $0.cgroup.peak = .gib(6)
            },
        ])

    /// The startup line that writes the server's GC log, rotated so it cannot fill the disk.
    static let gcLogStartupLine = "startup --host_jvm_args=-Xlog:gc*:file=/tmp/bazel-gc.log:time,uptime,level,tags:filecount=5,filesize=20m"

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        let bazelCommand = "bazel \(facts.bazel.command?.value ?? "build") //..."
        var missing: [String] = []
        var collect: [String] = []
        if facts.liveSet.peak == nil {
            missing.append("the peak live set")
            collect.append("Peak live set: add `\(Self.gcLogStartupLine)` to .bazelrc, or run `headroom record -- \(bazelCommand)`")
        }
        if facts.liveSet.analysisPhase == nil {
            missing.append("the analysis-phase heap")
            collect.append("Analysis-phase heap: `headroom baseline //...`")
        }
        if facts.bazel.release == nil {
            missing.append("the Bazel release")
            collect.append("Bazel release: pass `--bazel-version` with the output of `bazel info release`")
        }
        if facts.server.rssPeak == nil {
            missing.append("the server's RSS peak")
            collect.append("Server RSS peak: `headroom record -- \(bazelCommand)`")
        }
        if facts.context.value == .ci, facts.cgroup.peak == nil {
            missing.append("the build's memory cgroup")
            collect.append("Memory cgroup (CI): run the job under one, `systemd-run --scope -p MemoryAccounting=yes headroom record -- \(bazelCommand)`")
        }
        guard !missing.isEmpty else { return [] }
        return [
            Finding(
                rule: Self.description.identifier, severity: .info,
                summary: "\(missing.count) piece\(missing.count == 1 ? "" : "s") of evidence missing: \(missing.joined(separator: ", ")).",
                detail: "Where evidence is missing, Headroom falls back on a default (the 256 MiB non-heap default measured on Bazel servers, flag names not checked against a release) or leaves a figure out. Each line below collects one missing item.",
                evidence: [.value("context", facts.context)],
                collect: collect)
        ]
    }
}
