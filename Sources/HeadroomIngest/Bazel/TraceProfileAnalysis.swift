import HeadroomCore

/// Folds the events of one trace profile into a `TraceProfileSummary`, keeping only running
/// figures, a bounded series and the samples of the phase being read.
package struct TraceProfileAnalysis: TraceProfileEventHandler {
    /// The counter series the summary names, with the `args` member each one's value is in.
    enum Counter: Int, CaseIterable {
        case bazelMemory, systemMemory, bazelCPU, systemCPU, actionCount, memoryPressure

        init?(name: String) {
            switch name {
            case "Memory usage (Bazel)": self = .bazelMemory
            case "Memory usage (total)": self = .systemMemory
            // 4.x names its series `cpu counters` and `action counters`.
            case "CPU usage (Bazel)", "cpu counters": self = .bazelCPU
            case "CPU usage (total)": self = .systemCPU
            case "action count", "action counters": self = .actionCount
            case "Memory pressure stall level": self = .memoryPressure
            default: return nil
            }
        }

        var argument: String {
            switch self {
            case .bazelMemory: "memory"
            case .systemMemory: "system memory"
            case .bazelCPU: "cpu"
            case .systemCPU: "system cpu"
            case .actionCount: "action"
            case .memoryPressure: "memory pressure stall level"
            }
        }

        var sampleKind: TraceProfilePhaseClock.SampleKind {
            TraceProfilePhaseClock.SampleKind(rawValue: TraceProfilePhaseClock.SampleKind.counter0.rawValue + UInt8(rawValue))!
        }
    }

    /// The phase names that hold analysis and execution; Bazel 7's merged phase holds both.
    static let analysisPhaseNames: Set<String> = ["Load and analyze dependencies", "Load, analyze dependencies and build artifacts"]
    static let executionPhaseNames: Set<String> = ["Build artifacts", "Load, analyze dependencies and build artifacts"]
    /// `ph` values the Chrome trace event format defines (all one ASCII character).
    static let knownPhases: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in "BEXiICMbnestfPNODSTpFRc()Vv".utf8 { table[Int(byte)] = true }
        return table
    }()
    static let maximumOtherCounterNames = 32

    /// What one phase collected.
    struct PhaseFigures {
        var minor = (count: 0, micros: 0.0)
        var major = (count: 0, micros: 0.0)
        var counterPeaks = [Double?](repeating: nil, count: Counter.allCases.count)
    }

    private var clock = TraceProfilePhaseClock()
    private var phaseFigures: [PhaseFigures] = []
    private var counts = TraceProfileSummary.EventCounts()
    /// Events by one-byte `ph`, counted without hashing; longer values go to `counts.byPhase`.
    private var countsByPhaseByte = [Int](repeating: 0, count: 128)
    private var counters = [TraceProfileSummary.CounterStats?](repeating: nil, count: Counter.allCases.count)
    private var otherCounterNames: [String] = []
    private var minor = TraceProfileSummary.PauseStats()
    private var major = TraceProfileSummary.PauseStats()
    private var memorySeries = PointSeries(capacity: 512)
    private var firstTimestamp: Double?
    private var lastTimestamp: Double?
    private var otherData: [String: TraceProfileEvent.Scalar] = [:]

    /// The most samples held back at once, for tests of the flat-memory claim.
    var largestHeldBack: Int { clock.largestPending }

    package mutating func otherData(key: String, value: TraceProfileEvent.Scalar) {
        otherData[key] = value
    }

    package mutating func malformedEvent() {
        counts.events += 1
        counts.malformed += 1
    }

    package mutating func event(_ event: TraceProfileEvent) {
        counts.events += 1
        guard let phase = event.phase else {
            counts.unknownPhase += 1
            return
        }
        let utf8 = phase.utf8
        if utf8.count == 1, let byte = utf8.first, byte < 128 {
            countsByPhaseByte[Int(byte)] += 1
            if !Self.knownPhases[Int(byte)] { counts.unknownPhase += 1 }
        } else {
            counts.byPhase[phase, default: 0] += 1
            counts.unknownPhase += 1
        }
        if let time = event.timestamp {
            firstTimestamp = min(firstTimestamp ?? time, time)
            let end = time + max(0, event.duration ?? 0)
            lastTimestamp = max(lastTimestamp ?? end, end)
        }
        switch event.category {
        case "build phase marker":
            if let name = event.name, let time = event.timestamp { addMarker(name: name, time: time) }
        case "gc notification":
            recordGC(event)
        default:
            if phase == "C" { recordCounter(event) }
        }
    }

    private mutating func addMarker(name: String, time: Double) {
        phaseFigures.append(PhaseFigures())
        for (sample, marker) in clock.addMarker(name: name, time: time) { settle(sample, in: marker) }
    }

    private mutating func recordGC(_ event: TraceProfileEvent) {
        guard let time = event.timestamp, let duration = event.duration else { return }
        let kind: TraceProfilePhaseClock.SampleKind
        switch event.name {
        case "minor GC":
            kind = .minorGC
            add(duration, to: &minor)
        case "major GC":
            kind = .majorGC
            add(duration, to: &major)
        default:
            return
        }
        place(TraceProfilePhaseClock.Sample(kind: kind, time: time, value: duration))
    }

    private func add(_ duration: Double, to stats: inout TraceProfileSummary.PauseStats) {
        stats.count += 1
        stats.totalMicros += duration
        stats.maxMicros = max(stats.maxMicros, duration)
    }

    private mutating func recordCounter(_ event: TraceProfileEvent) {
        guard let name = event.name, let time = event.timestamp else { return }
        guard let counter = Counter(name: name) else {
            if !otherCounterNames.contains(name), otherCounterNames.count < Self.maximumOtherCounterNames {
                otherCounterNames.append(name)
            }
            return
        }
        // The named member when it is there; otherwise the first numeric one (names vary by version).
        let value = event.argument(counter.argument)?.numericValue ?? event.arguments.lazy.compactMap(\.value.numericValue).first
        guard let value else { return }
        var stats = counters[counter.rawValue] ?? TraceProfileSummary.CounterStats()
        stats.samples += 1
        if stats.peak.map({ value > $0 }) ?? true {
            stats.peak = value
            stats.peakAtMicros = time
        }
        if stats.lastAtMicros.map({ time >= $0 }) ?? true {
            stats.last = value
            stats.lastAtMicros = time
        }
        counters[counter.rawValue] = stats
        if counter == .bazelMemory { memorySeries.add(time: time / 1_000_000, value: value) }
        place(TraceProfilePhaseClock.Sample(kind: counter.sampleKind, time: time, value: value))
    }

    private mutating func place(_ sample: TraceProfilePhaseClock.Sample) {
        let placed = clock.place(sample)
        if placed.settled { settle(sample, in: placed.marker) }
    }

    private mutating func settle(_ sample: TraceProfilePhaseClock.Sample, in marker: Int?) {
        guard let marker else { return }
        switch sample.kind {
        case .minorGC:
            phaseFigures[marker].minor.count += 1
            phaseFigures[marker].minor.micros += sample.value
        case .majorGC:
            phaseFigures[marker].major.count += 1
            phaseFigures[marker].major.micros += sample.value
        default:
            let index = Int(sample.kind.rawValue - TraceProfilePhaseClock.SampleKind.counter0.rawValue)
            let peak = phaseFigures[marker].counterPeaks[index]
            if peak.map({ sample.value > $0 }) ?? true { phaseFigures[marker].counterPeaks[index] = sample.value }
        }
    }

    /// Adds one phase's pauses and counter peaks to the analysis or the execution totals.
    private mutating func credit(
        _ figures: PhaseFigures, count: WritableKeyPath<TraceProfileSummary.PauseStats, Int>,
        micros: WritableKeyPath<TraceProfileSummary.PauseStats, Double>, peak: WritableKeyPath<TraceProfileSummary.CounterStats, Double?>
    ) {
        minor[keyPath: count] += figures.minor.count
        minor[keyPath: micros] += figures.minor.micros
        major[keyPath: count] += figures.major.count
        major[keyPath: micros] += figures.major.micros
        for counter in Counter.allCases {
            let largest = Self.larger(counters[counter.rawValue]?[keyPath: peak], figures.counterPeaks[counter.rawValue])
            counters[counter.rawValue]?[keyPath: peak] = largest
        }
    }

    // MARK: - Result

    /// The summary, after settling the samples of the last phase.
    mutating func finish(source: String, outcome: TraceProfileEventReader.Outcome, readerPartial: Bool, readerWarnings: [String]) -> TraceProfileSummary {
        for (sample, marker) in clock.finish() { settle(sample, in: marker) }

        var phases: [TraceProfileSummary.Phase] = []
        var analysis: TraceProfileSummary.Span?
        var execution: TraceProfileSummary.Span?
        let order = clock.markersInTimeOrder
        for (position, index) in order.enumerated() {
            let marker = clock.markers[index]
            let end: Double? = position + 1 < order.count ? clock.markers[order[position + 1]].time : lastTimestamp.flatMap { $0 >= marker.time ? $0 : nil }
            let figures = phaseFigures[index]
            phases.append(
                TraceProfileSummary.Phase(
                    name: marker.name, startMicros: marker.time, durationMicros: end.map { $0 - marker.time },
                    gcPauseCount: figures.minor.count + figures.major.count, gcPauseMicros: figures.minor.micros + figures.major.micros,
                    bazelMemoryPeakMB: figures.counterPeaks[Counter.bazelMemory.rawValue]
                )
            )
            let span = TraceProfileSummary.Span(startMicros: marker.time, endMicros: end, durationMicros: end.map { $0 - marker.time })
            if Self.analysisPhaseNames.contains(marker.name) {
                if analysis == nil { analysis = span }
                credit(figures, count: \.analysisCount, micros: \.analysisMicros, peak: \.analysisPeak)
            }
            if Self.executionPhaseNames.contains(marker.name) {
                if execution == nil { execution = span }
                credit(figures, count: \.executionCount, micros: \.executionMicros, peak: \.executionPeak)
            }
        }

        for (byte, count) in countsByPhaseByte.enumerated() where count > 0 {
            counts.byPhase[String(Character(Unicode.Scalar(UInt8(byte)))), default: 0] += count
        }
        var warnings = readerWarnings + outcome.warnings
        if outcome.truncated { warnings.append("the profile ends inside its JSON: the events before the cut were read") }
        return TraceProfileSummary(
            source: source,
            partial: readerPartial || outcome.truncated || outcome.syntaxError != nil,
            syntaxError: outcome.syntaxError,
            warnings: warnings,
            hasTopLevelObject: outcome.topLevelObject ?? false,
            bazelVersion: otherString("bazel_version"),
            buildID: otherString("build_id"),
            outputBase: otherString("output_base"),
            date: otherString("date"),
            profileStartTimestamp: otherData["profile_start_ts"]?.numericValue,
            phases: phases,
            analysisPhase: analysis,
            executionPhase: execution,
            firstTimestampMicros: firstTimestamp,
            lastTimestampMicros: lastTimestamp,
            gcPauses: TraceProfileSummary.GCPauses(minor: minor, major: major),
            counters: TraceProfileSummary.Counters(
                bazelMemoryMB: counters[Counter.bazelMemory.rawValue],
                systemMemoryMB: counters[Counter.systemMemory.rawValue],
                bazelCPU: counters[Counter.bazelCPU.rawValue],
                systemCPU: counters[Counter.systemCPU.rawValue],
                actionCount: counters[Counter.actionCount.rawValue],
                memoryPressureStallLevel: counters[Counter.memoryPressure.rawValue],
                otherNames: otherCounterNames
            ),
            bazelMemorySeries: memorySeries.points,
            counts: counts
        )
    }

    private func otherString(_ key: String) -> String? {
        switch otherData[key] {
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return String(flag)
        case .null, nil: return nil
        }
    }

    private static func larger(_ lhs: Double?, _ rhs: Double?) -> Double? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return Swift.max(lhs, rhs)
    }
}
