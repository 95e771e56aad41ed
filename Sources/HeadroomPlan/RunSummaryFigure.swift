import HeadroomRules

/// The one table of the figures a run summary carries: each summary field beside the fact it
/// is read from (`RunSummary(report:)`) and, for `aggregate`, given back to (`Aggregator.facts`).
/// A new figure is one new line here.
public struct RunSummaryFigure {
    /// The summary's JSON key.
    public let name: String
    /// How `aggregate` gives a figure back to the facts.
    public enum Aggregation: Equatable {
        /// A percentile target over every run: the peaks it keeps histograms of.
        case percentile(AggregateFigure)
        /// The newest run's value.
        case newestRun
        /// Not given back: it describes one run only.
        case perRunOnly
    }

    public let aggregation: Aggregation
    private let read: (Facts, inout RunSummary) -> Void
    private let write: (RunSummary, inout Facts, String) -> Void

    private init<Value>(
        _ name: String, _ summary: WritableKeyPath<RunSummary, Value?>, _ facts: WritableKeyPath<Facts, Sourced<Value>?>,
        _ aggregation: Aggregation = .newestRun
    ) {
        self.name = name
        self.aggregation = aggregation
        read = { facts_, run in run[keyPath: summary] = facts_[keyPath: facts]?.value }
        write = { run, facts_, source in
            if let value = run[keyPath: summary] { facts_[keyPath: facts] = Sourced(value, source: source) }
        }
    }

    /// Copies the figure from `facts` into `run`.
    public func copy(from facts: Facts, into run: inout RunSummary) { read(facts, &run) }

    /// Copies the figure from `run` into `facts`, citing `source`; nothing when the run lacks it.
    public func copy(from run: RunSummary, into facts: inout Facts, source: String) { write(run, &facts, source) }

    /// Every figure, in the summary's order.
    public static var all: [RunSummaryFigure] {
        [
            RunSummaryFigure("release", \.release, \.bazel.release),
            RunSummaryFigure("collector", \.collector, \.heap.collector),
            RunSummaryFigure("liveSetPeak", \.liveSetPeak, \.liveSet.peak, .percentile(.liveSet)),
            RunSummaryFigure("serverRSSPeak", \.serverRSSPeak, \.server.rssPeak, .percentile(.serverRSS)),
            RunSummaryFigure("cgroupPeak", \.cgroupPeak, \.cgroup.peak, .percentile(.cgroupPeak)),
            RunSummaryFigure("testsPeak", \.testsPeak, \.cgroup.testsPeak, .percentile(.testsPeak)),
            RunSummaryFigure("committedHeapPeak", \.committedHeapPeak, \.heap.committedPeak, .perRunOnly),
            RunSummaryFigure("configuredMaxHeap", \.configuredMaxHeap, \.heap.configuredMax),
            RunSummaryFigure("effectiveMaxHeap", \.effectiveMaxHeap, \.heap.effectiveMax),
            RunSummaryFigure("cgroupLimit", \.cgroupLimit, \.cgroup.limit),
            // GC time belongs with the heap it was measured under: aggregate takes the newest run's.
            RunSummaryFigure("gcTimeFraction", \.gcTimeFraction, \.gc.timeFraction),
            RunSummaryFigure("hostMemory", \.hostMemory, \.host.memory),
            RunSummaryFigure("hostCPUs", \.hostCPUs, \.host.cpus),
        ]
    }
}
