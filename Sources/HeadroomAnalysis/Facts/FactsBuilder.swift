import Foundation
import HeadroomIngest

/// Turns evidence into facts: the one place where readers' results become what rules read.
///
/// Evidence is added piece by piece; when two pieces give the same fact the more direct one wins
/// (the server's own command line over a `.bazelrc`, a GC log's live set over `bazel info`).
public struct FactsBuilder: Sendable {
    public internal(set) var facts = Facts()
    /// The evidence over time, for charts; see `finishCharts`.
    public internal(set) var charts = ChartData()

    public init(context: Facts.Context? = nil) {
        if let context { facts.context = Sourced(context, source: "--context") }
    }

    /// Occupancy after a full collection above which the heap stayed full (Bazel's own
    /// high-water mark default, 85 %).
    static let fullHeapOccupancy = 0.85

    /// A JVM that sees less than this share of host RAM sees a limit, not the machine.
    static let visibleMemoryLimitShare = 0.98

    /// Derives the facts that combine several pieces of evidence, and returns them.
    public func finish() -> Facts {
        var facts = facts
        if let measured = facts.server.nonHeapMeasured {
            facts.server.nonHeapOverhead = measured
        } else if let rss = facts.server.rssPeak, let committed = facts.heap.committedPeak, rss.value > committed.value {
            facts.server.nonHeapOverhead = Sourced(rss.value - committed.value, source: "\(rss.source) − \(committed.source)")
        }
        // A forced full collection is exact: it replaces an upper bound, and raises a smaller peak.
        if let exact = facts.liveSet.afterForcedFullGC {
            if facts.liveSet.peak == nil || facts.liveSet.isUpperBound?.value == true {
                facts.liveSet.peak = exact
                facts.liveSet.isUpperBound = Sourced(false, source: exact.source)
                facts.liveSet.basis = Sourced("forced full collection", source: exact.source)
            } else if let peak = facts.liveSet.peak, exact.value > peak.value {
                facts.liveSet.peak = exact
            }
        }
        // A heap that stayed full shows at least the live set, not all of what the server wanted.
        if facts.liveSet.peak != nil {
            if let exit = facts.bazel.outOfMemoryExit, exit.value {
                facts.liveSet.isLowerBound = Sourced(true, source: "\(exit.source): the heap was exhausted")
            } else if let occupancy = facts.gc.occupancyAfterFullGC, occupancy.value > Self.fullHeapOccupancy {
                facts.liveSet.isLowerBound = Sourced(true, source: "\(occupancy.source): \(Formatting.percent(occupancy.value)) full after a full collection")
            }
        }
        // A JVM that saw less memory than the machine has saw a limit: evidence of one.
        if let visible = facts.heap.jvmVisibleMemory, let host = facts.host.memory, facts.cgroup.limit == nil,
            Double(visible.value) < Double(host.value) * Self.visibleMemoryLimitShare
        {
            facts.cgroup.limit = Sourced(visible.value, source: "\(visible.source): the JVM saw \(Formatting.bytes(visible.value)) of \(Formatting.bytes(host.value)) host RAM, a limit")
        }
        return facts
    }

    /// The chart series, with kernel-log OOM kills placed on the memory series they fall in.
    public func finishCharts() -> ChartData {
        var charts = charts
        for index in charts.samples.indices {
            guard let start = charts.samples[index].startEpochSeconds, let end = charts.samples[index].serverRSS.last?.timeSeconds
                ?? charts.samples[index].cgroupUsage.last?.timeSeconds
            else { continue }
            for epoch in charts.oomKillEpochSeconds where epoch >= start - 1 && epoch <= start + end + 1 {
                let seconds = epoch - start
                if !charts.samples[index].oomKillSeconds.contains(where: { abs($0 - seconds) < 1 }) {
                    charts.samples[index].oomKillSeconds.append(seconds)
                }
            }
            charts.samples[index].oomKillSeconds.sort()
        }
        return charts
    }

    /// Adds a GC log's series to the charts, once per source.
    mutating func addChart(_ summary: GCLogSummary, role: String, source: String) {
        guard let series = summary.series, !charts.gcLogs.contains(where: { $0.source == source }) else { return }
        charts.gcLogs.append(
            ChartData.GCLog(
                role: role, source: source, maxHeapBytes: summary.maxHeapBytes, series: series, liveSet: summary.liveSet?.points ?? [],
                liveSetBasis: summary.liveSet?.basis.rawValue, liveSetTrend: summary.liveSet?.trendLine ?? []))
    }

    public mutating func note(_ text: String) {
        if !facts.notes.contains(text) { facts.notes.append(text) }
    }

    public mutating func markPartial(_ reason: String) {
        facts.isPartial = true
        note(reason)
    }

    /// `--bazel-version`, or a release read from a recording; the first one given is kept.
    public mutating func setRelease(_ text: String, source: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        if let existing = facts.bazel.release, BazelRelease(existing.value).isKnown || !BazelRelease(trimmed).isKnown { return }
        facts.bazel.release = Sourced(trimmed, source: source)
    }

    public mutating func setContext(_ context: Facts.Context, source: String) {
        facts.context = Sourced(context, source: source)
    }

    /// The machine, from a bundle's manifest.
    public mutating func addHost(_ host: BundleManifest.Host, source: String) {
        if let memory = host.memoryBytes, facts.host.memory == nil { facts.host.memory = Sourced(memory, source: source) }
        if let cpus = host.cpus, facts.host.cpus == nil { facts.host.cpus = Sourced(cpus, source: source) }
    }

    /// A GC log of the command (or of the server's whole life).
    public mutating func addGCLog(_ summary: GCLogSummary) {
        let source = summary.inputs.map(\.path).joined(separator: ", ")
        addChart(summary, role: "execution", source: source)
        facts.inputs.append("GC log: \(source) (\(summary.pauseCount) pauses\(summary.isPartial ? ", partial" : ""))")
        if summary.isPartial { markPartial("\(source): read only in part; GC figures cover what was read") }
        func at(_ location: SourceLocation?) -> String { location.map(\.description) ?? source }
        if summary.collector != .unknown { facts.heap.collector = Sourced(summary.collector, source: source) }
        if let max = summary.maxHeapBytes { facts.heap.effectiveMax = Sourced(max, source: source) }
        if let committed = summary.heapCommittedPeakBytes { Self.raise(&facts.heap.committedPeak, committed, source: source) }
        if let cpus = summary.cpus { facts.host.cpus = facts.host.cpus ?? Sourced(cpus, source: source) }
        if let memory = summary.hostMemoryBytes { facts.heap.jvmVisibleMemory = facts.heap.jvmVisibleMemory ?? Sourced(memory, source: source) }
        if let live = summary.liveSet {
            facts.liveSet.peak = Sourced(live.peakBytes, source: "\(source) (\(live.basis.rawValue))")
            facts.liveSet.median = Sourced(live.medianBytes, source: source)
            facts.liveSet.isUpperBound = Sourced(live.isUpperBound, source: source)
            facts.liveSet.basis = Sourced(live.basis.rawValue, source: source)
            facts.liveSet.observations = Sourced(live.observations, source: source)
            facts.liveSet.slopeBytesPerHour = live.slopeBytesPerHour.map { Sourced($0, source: source) }
            facts.liveSet.trendFit = live.slopeGoodnessOfFit.map { Sourced($0, source: source) }
            facts.liveSet.growthFraction = live.growthFraction.map { Sourced($0, source: source) }
            facts.liveSet.trendSpanSeconds = live.trendSpanSeconds.map { Sourced($0, source: source) }
        }
        facts.gc.timeFraction = summary.heapGCTimeFraction.map { Sourced($0, source: source) }
        facts.gc.fullGCTimeFraction = summary.heapFullGCTimeFraction.map { Sourced($0, source: source) }
        facts.gc.fullGCs = Sourced(summary.fullGCCount, source: source)
        facts.gc.explicitFullGCs = Sourced(summary.explicitFullGCCount, source: source)
        facts.gc.ineffectiveBackToBackFullGCs = Sourced(summary.thrashing.ineffectiveBackToBackFullGCs, source: at(summary.thrashing.firstAt))
        facts.gc.occupancyAfterFullGC = summary.thrashing.maxOccupancyAfterFullGCFraction.map { Sourced($0, source: source) }
        facts.gc.spanSeconds = summary.spanSeconds.map { Sourced($0, source: source) }
        for warning in summary.warnings.prefix(5) { note("\(source): \(warning)") }
    }

    /// A GC log of an analysis-only run (`build --nobuild`): its live set is the analysis baseline.
    public mutating func addAnalysisGCLog(_ summary: GCLogSummary) {
        let source = summary.inputs.map(\.path).joined(separator: ", ")
        facts.inputs.append("analysis-phase GC log: \(source)")
        addChart(summary, role: "analysis", source: source)
        if let live = summary.liveSet {
            facts.liveSet.analysisPhase = Sourced(live.peakBytes, source: "\(source) (\(live.basis.rawValue))")
        }
    }

    /// Keeps the larger of a fact and a new value.
    static func raise(_ fact: inout Sourced<Int64>?, _ value: Int64, source: String) {
        if fact == nil || value > fact!.value { fact = Sourced(value, source: source) }
    }
}
