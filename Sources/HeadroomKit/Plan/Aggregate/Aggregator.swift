import Foundation

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
    private let decoder = JSONDecoder()

    /// Kernel kills kept for the OOM rules; more are counted, not kept.
    static let keptKills = 100

    public init(options: AggregateOptions = AggregateOptions()) {
        self.options = options
        histograms = AggregateFigure.allCases.map { _ in DecayingHistogram(halfLifeSeconds: options.halfLifeSeconds) }
        figureRuns = AggregateFigure.allCases.map { _ in 0 }
        figureBumps = figureRuns
    }

    /// Reads every input: bundle folders, folders holding bundles at any depth, and `.jsonl` files
    /// of `RunSummary` lines (`.jsonl.gz` too).
    public mutating func read(_ paths: [String]) {
        for path in paths { read(path) }
    }

    public mutating func read(_ path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            unreadable.append("\(path): not found")
            return
        }
        if isDirectory.boolValue {
            let bundles = Self.bundles(under: path)
            if bundles.isEmpty { unreadable.append("\(path): no bundle (a folder with \(BundleReader.manifestName)) in it") }
            for folder in bundles { readBundle(folder) }
        } else if path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") {
            readLines(path)
        } else {
            unreadable.append("\(path): not a bundle folder, a folder of bundles or a .jsonl file of run summaries")
        }
    }

    /// Bundle folders at or below `folder`, sorted; a bundle's own subfolders are not searched.
    public static func bundles(under folder: String) -> [String] {
        let manifest = BundleReader.manifestName
        if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(manifest)) { return [folder] }
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var found: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true else { continue }
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(manifest).path) {
                found.append(url.path)
                walker.skipDescendants()
            }
        }
        // Paths as given, not resolved, so messages name what the user typed.
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        return found.map { path in
            let standard = URL(fileURLWithPath: path).standardizedFileURL.path
            return standard.hasPrefix(base) ? (folder as NSString).appendingPathComponent(String(standard.dropFirst(base.count + 1))) : path
        }.sorted()
    }

    /// One bundle, analysed as `analyze` would; a kernel log beside a folder named `bundle`
    /// (`CASE/bundle` and `CASE/kernel.log`) is read with it.
    private mutating func readBundle(_ folder: String) {
        var evidence = EvidenceInputs()
        evidence.bundles = [folder]
        let url = URL(fileURLWithPath: folder)
        if url.lastPathComponent == "bundle" {
            let kernelLog = url.deletingLastPathComponent().appendingPathComponent("kernel.log").path
            if FileManager.default.fileExists(atPath: kernelLog) { evidence.oomReports = [(folder as NSString).deletingLastPathComponent + "/kernel.log"] }
        }
        let report = AnalysisReport.make(evidence, version: HeadroomVersion.current)
        guard !report.facts.inputs.isEmpty else {
            unreadable.append("\(folder): \(report.problems.isEmpty ? "nothing readable" : report.problems.joined(separator: "; "))")
            return
        }
        for problem in report.problems { notes.append("\(folder): \(problem)") }
        let summary = RunSummary.make(report, inputs: evidence)
        let time = ISOTime.parse(summary.time) ?? Date().timeIntervalSince1970
        add(summary, at: time)
        inputs.append("\(folder): 1 run (\(summary.time), \(summary.timeSource))" + (evidence.oomReports.isEmpty ? "" : " with \(evidence.oomReports[0])"))
    }

    /// A file of `RunSummary` lines; a damaged line is listed as `file:line` and skipped.
    private mutating func readLines(_ path: String) {
        let before = runs
        do {
            let reader = LineReader(source: try InputOpener.open(path).reader)
            try reader.forEachLine { line in
                guard line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
                guard !line.isTruncated else {
                    unreadable.append("\(path):\(line.number): line too long for a run summary")
                    return
                }
                let run: RunSummary
                do {
                    run = try decoder.decode(RunSummary.self, from: Data(line.bytes))
                } catch {
                    unreadable.append("\(path):\(line.number): not a run summary (\(Self.describe(error)))")
                    return
                }
                guard let time = ISOTime.parse(run.time) else {
                    unreadable.append("\(path):\(line.number): time '\(run.time)' is not an ISO-8601 stamp")
                    return
                }
                add(run, at: time)
            }
        } catch {
            unreadable.append("\(error)")
            return
        }
        inputs.append("\(path): \(runs - before) runs")
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }

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
            facts.bazel.release = run.release.map { Sourced($0, source: source) }
            facts.heap.collector = run.collector.map { Sourced($0, source: source) }
            facts.heap.configuredMax = run.configuredMaxHeap.map { Sourced($0, source: source) }
            facts.heap.effectiveMax = run.effectiveMaxHeap.map { Sourced($0, source: source) }
            facts.cgroup.limit = run.cgroupLimit.map { Sourced($0, source: source) }
            // GC time belongs with the heap it was measured under: the newest run's.
            facts.gc.timeFraction = run.gcTimeFraction.map { Sourced($0, source: source) }
            facts.host.memory = run.hostMemory.map { Sourced($0, source: source) }
            facts.host.cpus = run.hostCPUs.map { Sourced($0, source: source) }
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
