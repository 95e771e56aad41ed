import Foundation
import HeadroomRules

/// Many runs into one plan, as the Kubernetes VPA recommender sizes a container from its history:
/// each run's peaks go into decaying histograms (one per figure), OOM-killed runs count higher,
/// and the plan is made from `P90 × 1.15` of each figure by the usual `Planner`.
///
/// Memory stays flat in the number of runs: a histogram per figure, the newest run, and a bounded
/// list of OOM kills; runs are not kept. An input that cannot be read, or a damaged line, is
/// listed (with file and line) and the rest is used.
public struct Aggregator: Sendable {
    public let options: AggregateOptions
    private var histograms: [DecayingHistogram]
    private var figureRuns: [Int]
    private var figureBumps: [Int]
    public private(set) var runs = 0
    private var oldest: Double?
    private var newest: (time: Double, run: RunSummary)?
    public private(set) var inputs: [String] = []
    public private(set) var unreadable: [String] = []
    private var notes: [String] = []
    private var oomKilledRuns = 0
    private var kernelKillCount = 0
    private var kernelKills: [OOMKillFact] = []
    private var outOfMemoryExits = 0

    /// Kernel kills kept for the OOM rules; more are counted, not kept.
    static let keptKills = 100

    public init(options: AggregateOptions = AggregateOptions()) {
        self.options = options
        histograms = AggregateFigure.allCases.map { _ in DecayingHistogram(halfLifeSeconds: options.halfLifeSeconds) }
        figureRuns = AggregateFigure.allCases.map { _ in 0 }
        figureBumps = figureRuns
    }

    /// Records an input that could not be read (with its file, and line where there is one).
    package mutating func noteUnreadable(_ problem: String) { unreadable.append(problem) }

    /// Records an input that was read, as the report lists it.
    package mutating func noteInput(_ description: String) { inputs.append(description) }

    /// Records a problem with an input that was still used.
    package mutating func note(_ problem: String) { notes.append(problem) }

    /// Adds one run seen at `time` (epoch seconds).
    public mutating func add(_ run: RunSummary, at time: Double) {
        runs += 1
        oldest = min(oldest ?? time, time)
        if time >= (newest?.time ?? -.infinity) { newest = (time, run) }
        if run.oomKilled { oomKilledRuns += 1 }
        for (index, figure) in AggregateFigure.allCases.enumerated() {
            guard let value = figure.value(of: run), value >= 0 else { continue }
            var sample = Double(value)
            if run.oomKilledBy.contains(where: figure.isBumped) {
                sample = AggregateFigure.bumped(sample)
                figureBumps[index] += 1
            }
            histograms[index].add(sample, at: time)
            figureRuns[index] += 1
        }
        for cause in run.oomKilledBy {
            if cause == RunSummary.bazelOutOfMemoryExit {
                outOfMemoryExits += 1
                continue
            }
            guard cause.hasPrefix("kernel:") else { continue }
            kernelKillCount += 1
            guard kernelKills.count < Self.keptKills else { continue }
            let parts = cause.dropFirst("kernel:".count).split(separator: "/").map(String.init)
            kernelKills.append(
                OOMKillFact(
                    classification: parts.first.flatMap(OOMKill.Classification.init(rawValue:)) ?? .other,
                    constraint: parts.dropFirst().first.flatMap(OOMKill.Constraint.init(rawValue:)) ?? .unknown,
                    limitBytes: run.cgroupLimit, usageBytes: run.cgroupPeak, source: "\(run.source) (\(run.time))"))
        }
    }

    /// VPA-style confidence in the history: `min(span in days, runs / runsPerConfidenceDay)`, the
    /// span counted as at least one hour (a run is not a point in time). 0 without runs.
    public static func confidence(runs: Int, spanSeconds: Double, runsPerDay: Double = 10) -> Double {
        guard runs > 0 else { return 0 }
        return min(max(spanSeconds, 3600) / 86_400, Double(runs) / runsPerDay)
    }

    /// The newest run read, nil before any.
    public var newestRun: RunSummary? { newest?.run }

    public var spanSeconds: Double {
        guard let oldest, let newest else { return 0 }
        return newest.time - oldest
    }

    public var confidence: Double { Self.confidence(runs: runs, spanSeconds: spanSeconds, runsPerDay: options.runsPerConfidenceDay) }

    /// The percentiles and recommendations per figure, and what was read.
    public func summary() -> AggregateSummary {
        let confidence = confidence
        let scale = 1 + options.margin
        let figures = AggregateFigure.allCases.enumerated().map { index, figure in
            let histogram = histograms[index]
            var result = AggregateSummary.Figure(name: figure.rawValue)
            result.runs = figureRuns[index]
            result.oomBumps = figureBumps[index]
            result.weight = histogram.totalWeight
            let lower = histogram.percentile(options.lowerPercentile)
            let target = histogram.percentile(options.targetPercentile)
            let upper = histogram.percentile(options.upperPercentile)
            result.lowerPercentileBytes = lower.map(Self.bytes)
            result.targetPercentileBytes = target.map(Self.bytes)
            result.upperPercentileBytes = upper.map(Self.bytes)
            result.largestBytes = histogram.largest.map(Self.bytes)
            result.lowerBytes = lower.map { Self.bytes($0 * scale) }
            result.targetBytes = target.map { Self.bytes($0 * scale) }
            if confidence > 0 { result.upperBytes = upper.map { Self.bytes($0 * scale * (1 + 1 / confidence)) } }
            return result
        }
        let spanDays = max(spanSeconds, 3600) / 86_400
        let basis = String(
            format: "min(span %.3g days, %d runs / %g) = %.3g; upper bound × %.3g", spanDays, runs, options.runsPerConfidenceDay, confidence,
            confidence > 0 ? 1 + 1 / confidence : .infinity)
        return AggregateSummary(
            runs: runs, inputs: inputs, unreadable: unreadable, oldestRun: oldest.map { ISOTime.format(epochSeconds: $0) },
            newestRun: newest.map { ISOTime.format(epochSeconds: $0.time) }, spanSeconds: spanSeconds, confidence: confidence,
            confidenceBasis: basis, halfLifeSeconds: options.halfLifeSeconds, lowerPercentile: options.lowerPercentile,
            targetPercentile: options.targetPercentile, upperPercentile: options.upperPercentile, margin: options.margin,
            oomKilledRuns: oomKilledRuns, figures: figures)
    }

    private static func bytes(_ value: Double) -> Int64 {
        value.isFinite ? Int64(min(value.rounded(), Double(Int64.max / 2))) : Int64.max / 2
    }

    /// Facts for the planner: each figure's target, and from the newest run what a run cannot
    /// average (release, collector, configured heap and the GC time under it, limits, host).
    public func facts(_ summary: AggregateSummary) -> Facts {
        var facts = Facts()
        let percent = Int((options.targetPercentile * 100).rounded())
        func target(_ figure: AggregateFigure) -> Sourced<Int64>? {
            guard let entry = summary.figures.first(where: { $0.name == figure.rawValue }), let bytes = entry.targetBytes else { return nil }
            return Sourced(bytes, source: "aggregate: P\(percent) × \(String(format: "%g", 1 + options.margin)) of \(entry.runs) runs")
        }
        facts.liveSet.peak = target(.liveSet)
        if let live = summary.figures.first(where: { $0.name == AggregateFigure.liveSet.rawValue }), live.runs > 0 {
            facts.liveSet.observations = Sourced(live.runs, source: "aggregate: runs with a live set")
            facts.liveSet.basis = Sourced("P\(percent) of per-run peaks", source: "aggregate")
        }
        facts.server.rssPeak = target(.serverRSS)
        facts.cgroup.peak = target(.cgroupPeak)
        facts.cgroup.testsPeak = target(.testsPeak)
        if let (_, run) = newest {
            let source = "newest run: \(run.source)"
            if let context = run.context { facts.context = Sourced(context, source: source) }
            // The peaks come from every run's histogram above; the rest is the newest run's.
            for figure in RunSummaryFigure.all where figure.aggregation == .newestRun {
                figure.copy(from: run, into: &facts, source: source)
            }
        }
        facts.oomKills = kernelKills
        if kernelKillCount > 0 { facts.cgroup.oomKills = Sourced(Int64(kernelKillCount), source: "aggregate: kernel OOM kills in \(runs) runs") }
        if outOfMemoryExits > 0 {
            facts.bazel.outOfMemoryExit = Sourced(true, source: "aggregate: \(outOfMemoryExits) of \(runs) runs exited 33")
        }
        facts.inputs = inputs
        facts.notes = notes
        if kernelKillCount > kernelKills.count { facts.notes.append("\(kernelKillCount) kernel OOM kills, the first \(kernelKills.count) kept") }
        facts.isPartial = !unreadable.isEmpty
        return facts
    }

    /// The plan for the aggregate, made by the usual planner, with the summary attached.
    public func report(rules: [any Rule.Type] = RuleRegistry.rules, version: String = HeadroomVersion.current, generatedAt: String? = nil) -> AnalysisReport {
        let summary = summary()
        var report = AnalysisReport.make(facts: facts(summary), problems: unreadable, rules: rules, version: version, generatedAt: generatedAt)
        report.aggregate = summary
        return report
    }
}
