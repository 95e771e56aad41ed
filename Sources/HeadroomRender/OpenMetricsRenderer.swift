import HeadroomPlan

/// `--format openmetrics` (and `prometheus`): the key facts and the plan as gauges named
/// `headroom_…` with the unit as suffix, for a node-exporter textfile collector, a Pushgateway
/// or anything that scrapes OpenMetrics.
///
/// Only known facts become metrics; families come in a fixed order and samples in a fixed label
/// order, so one report always gives the same text. No timestamps: the scraper stamps samples.
public enum OpenMetricsRenderer {
    /// The two text formats: they differ only in the lines around the samples.
    public enum Dialect: String, Sendable, CaseIterable {
        /// OpenMetrics 1.0: `# UNIT` lines, the findings as an `info` family, `# EOF` at the end.
        case openMetrics = "openmetrics"
        /// Prometheus text format 0.0.4 (what `promtool check metrics`, the node-exporter textfile
        /// collector and the Pushgateway parse): no `# UNIT`, no `# EOF`, no `info` type.
        case prometheus
    }

    /// One metric family and its samples.
    struct Family {
        enum Kind: String { case gauge, info }

        /// The family's name; an `info` family's samples add `_info`.
        var name: String
        var kind: Kind = .gauge
        /// `bytes`, `seconds`, `ratio`: also the name's last part.
        var unit: String?
        var help: String
        var samples: [(labels: [(name: String, value: String)], value: String)] = []

        var sampleName: String { kind == .info ? name + "_info" : name }
    }

    public static func render(_ report: AnalysisReport, labels: MetricLabels = MetricLabels(), dialect: Dialect = .openMetrics) -> String {
        var out: [String] = []
        for family in families(report, labels: labels) where !family.samples.isEmpty {
            // Prometheus' text format has no info type: the same samples as a gauge of that name.
            let (name, type) = family.kind == .info && dialect == .prometheus ? (family.sampleName, "gauge") : (family.name, family.kind.rawValue)
            out.append("# TYPE \(name) \(type)")
            if let unit = family.unit, dialect == .openMetrics { out.append("# UNIT \(name) \(unit)") }
            out.append("# HELP \(name) \(MetricsText.help(family.help))")
            for sample in family.samples {
                out.append("\(family.sampleName)\(MetricsText.labelSet(sample.labels)) \(sample.value)")
            }
        }
        if dialect == .openMetrics { out.append("# EOF") }
        return out.joined(separator: "\n") + "\n"
    }

    /// Every family the report can give, in output order; those without samples are left out.
    static func families(_ report: AnalysisReport, labels: MetricLabels) -> [Family] {
        let facts = report.facts
        var common: [(name: String, value: String)] = []
        if let workspace = labels.workspace { common.append(("workspace", workspace)) }
        if let host = labels.host { common.append(("host", host)) }
        common.append(("context", facts.context.value.rawValue))
        if let release = facts.bazel.release?.value { common.append(("bazel_release", release)) }

        var families: [Family] = []
        func gauge(_ name: String, unit: String? = nil, _ help: String, _ values: [([(name: String, value: String)], String)]) {
            families.append(Family(name: name, unit: unit, help: help, samples: values.map { (common + $0.0, $0.1) }))
        }
        func bytes(_ name: String, _ help: String, _ value: Int64?) {
            gauge(name, unit: "bytes", help, value.map { [([], String($0))] } ?? [])
        }
        func ratio(_ name: String, _ help: String, _ value: Double?) {
            gauge(name, unit: "ratio", help, value.flatMap(number).map { [([], $0)] } ?? [])
        }

        bytes("headroom_live_set_peak_bytes", "Peak live heap of the Bazel server (an upper bound when measured after young collections).", facts.liveSet.peak?.value)
        bytes("headroom_live_set_after_analysis_bytes", "Live heap after the analysis phase alone.", facts.liveSet.analysisPhase?.value)
        bytes("headroom_max_heap_configured_bytes", "Explicit -Xmx of the Bazel server.", facts.heap.configuredMax?.value)
        bytes("headroom_max_heap_effective_bytes", "Maximum heap the server's JVM really had.", facts.heap.effectiveMax?.value)
        bytes("headroom_heap_committed_peak_bytes", "Peak committed heap of the Bazel server.", facts.heap.committedPeak?.value)
        ratio("headroom_gc_time_ratio", "GC pause time over the logged span, explicit full collections left out.", facts.gc.timeFraction?.value)
        ratio("headroom_full_gc_time_ratio", "Pause time of full collections the heap forced, over the logged span.", facts.gc.fullGCTimeFraction?.value)
        bytes("headroom_server_rss_peak_bytes", "Peak resident set of the Bazel server process.", facts.server.rssPeak?.value)
        bytes("headroom_server_non_heap_bytes", "Server RSS peak minus committed heap peak: metaspace, code cache, threads, buffers.", facts.server.nonHeapOverhead?.value)
        bytes("headroom_cgroup_peak_bytes", "Peak memory of the cgroup the command ran in.", facts.cgroup.peak?.value)
        bytes("headroom_cgroup_limit_bytes", "Memory limit (memory.max) of the cgroup the command ran in.", facts.cgroup.limit?.value)
        bytes("headroom_tests_peak_bytes", "Peak of cgroup usage minus the server's RSS: tests and actions.", facts.cgroup.testsPeak?.value)
        let kills = facts.oomKills.isEmpty ? [] : [OOMKill.Classification.bazelServer, .testOrAction, .other].map { kind in
            ([(name: "classification", value: kind.rawValue)], String(facts.oomKills.filter { $0.classification == kind }.count))
        }
        gauge("headroom_oom_kills", "Kernel OOM kills in the evidence, by what was killed.", kills)
        ratio("headroom_memory_stall_ratio", "Share of the measured time all tasks stalled on memory (PSI full).", facts.cgroup.fullStallFraction?.value)

        bytes("headroom_recommended_max_heap_bytes", "The -Xmx the plan settles on.", report.plan.heap?.action == .hold ? nil : report.plan.heap?.targetBytes)
        bytes("headroom_recommended_memory_max_bytes", "The cgroup MemoryMax the plan recommends for the server and its tests.", report.plan.cgroup?.limits.memoryMaxBytes)
        bytes("headroom_recommended_memory_high_bytes", "The cgroup MemoryHigh the plan recommends.", report.plan.cgroup?.limits.memoryHighBytes)
        gauge("headroom_findings", "Findings of the analysis, by severity.", Finding.Severity.allCases.map { severity in
            ([(name: "severity", value: severity.rawValue)], String(report.findings.filter { $0.severity == severity }.count))
        })
        var seen = Set<String>()
        let findings = report.findings.map { ($0.rule, $0.severity.rawValue) }.sorted { $0 < $1 }.filter { seen.insert("\($0.0) \($0.1)").inserted }
        families.append(Family(name: "headroom_finding", kind: .info, help: "One per rule that reported a finding, with its severity.", samples: findings.map { rule, severity in
            (common + [("rule", rule), ("severity", severity)], "1")
        }))
        gauge("headroom_report_partial", "1 when some evidence was unreadable or cut short, so the advice rests on less than was given.", [([], report.isPartial ? "1" : "0")])
        return families
    }

    /// A finite number as both formats spell it; nil for NaN and infinities, which no fact should be.
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
