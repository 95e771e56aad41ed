import HeadroomPlan

/// The facts a report shows first, as rows of label, value and source; shared by every
/// human-readable format so they agree.
public enum KeyFacts {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var value: String
        public var source: String
    }

    public static func rows(_ facts: Facts) -> [Row] {
        var rows: [Row] = []
        func add<V>(_ label: String, _ fact: Sourced<V>?, _ show: (V) -> String) {
            if let fact { rows.append(Row(label: label, value: show(fact.value), source: fact.source)) }
        }
        let bytes: (Int64) -> String = { Formatting.bytes($0) }
        let percent: (Double) -> String = { Formatting.percent($0) }
        add("Bazel release", facts.bazel.release) { $0 }
        rows.append(Row(label: "context", value: facts.context.value.rawValue, source: facts.context.source))
        add("configured -Xmx", facts.heap.configuredMax, bytes)
        add("heap the JVM had", facts.heap.effectiveMax, bytes)
        add("collector", facts.heap.collector) { $0.rawValue }
        add("peak live set", facts.liveSet.peak) { value in
            Formatting.bytes(value) + (facts.liveSet.isUpperBound?.value == true ? " (upper bound)" : "")
        }
        add("live set after analysis", facts.liveSet.analysisPhase, bytes)
        add("live-set growth", facts.liveSet.growthFraction) { value in
            Formatting.percent(value) + (facts.liveSet.trendFit.map { String(format: " (R² %.2f)", $0.value) } ?? "")
        }
        add("sweep floor", facts.liveSet.sweepFloor, bytes)
        add("committed heap peak", facts.heap.committedPeak, bytes)
        add("GC time", facts.gc.timeFraction, percent)
        add("full-GC time", facts.gc.fullGCTimeFraction, percent)
        add("Bazel OOM exit (33)", facts.bazel.outOfMemoryExit) { $0 ? "yes" : "no" }
        add("server RSS peak", facts.server.rssPeak, bytes)
        add("server non-heap", facts.server.nonHeapOverhead, bytes)
        add("server inside scope", facts.server.insideScope) { $0 ? "yes" : "no" }
        add("cgroup peak", facts.cgroup.peak, bytes)
        add("cgroup limit", facts.cgroup.limit, bytes)
        add("tests and actions peak", facts.cgroup.testsPeak, bytes)
        add("memory stall (full)", facts.cgroup.fullStallFraction, percent)
        if !facts.oomKills.isEmpty {
            let kinds = facts.oomKills.map { "\($0.classification.rawValue)/\($0.constraint.rawValue)" }
            rows.append(Row(label: "kernel OOM kills", value: "\(facts.oomKills.count) (\(Array(Set(kinds)).sorted().joined(separator: ", ")))", source: facts.oomKills[0].source))
        }
        add("--jobs", facts.flags.jobs) { String($0) }
        add("remote executor", facts.flags.remoteExecutor) { $0 }
        add("host RAM", facts.host.memory, bytes)
        add("host CPUs", facts.host.cpus) { String($0) }
        return rows
    }
}

import Foundation
