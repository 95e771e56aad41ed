import HeadroomPlan

/// Which charts an analysis gets, built from its `ChartData`: heap and pauses per GC log, the
/// server against its heap and MemoryMax, the cgroup split into server and tests, the sweep.
/// A chart without data is left out and a one-line note says why.
public enum AnalysisCharts {
    /// A chart, or the note that stands in for it.
    public enum Item: Sendable {
        case chart(SVGChart, caption: String?)
        case omitted(String)
    }

    /// Colours of the series; the same figure has the same colour in every chart.
    enum Palette {
        static let before = "#e07b00"
        static let after = "#1f6fb5"
        static let committed = "#7a7a7a"
        static let live = "#2a9d3a"
        static let trend = "#136b22"
        static let maxHeap = "#00838f"
        static let limit = "#c62828"
        static let server = "#1f6fb5"
        static let usage = "#6a3d9a"
        static let tests = "#e07b00"
        static let oom = "#d50000"
        static let pause = "#6a3d9a"
    }

    public static func items(_ report: AnalysisReport) -> [Item] {
        let charts = report.charts ?? ChartData()
        var items: [Item] = []
        let manyLogs = charts.gcLogs.count > 1
        for log in charts.gcLogs {
            let prefix = log.role == "analysis" ? "Analysis run: " : (manyLogs ? "Execution: " : "")
            items.append(heapChart(log, prefix: prefix, maxHeap: log.maxHeapBytes ?? report.facts.heap.effectiveMax?.value))
            items.append(pauseChart(log, prefix: prefix))
        }
        if charts.gcLogs.isEmpty { items.append(.omitted("No GC log: the heap and pause charts are left out.")) }
        for samples in charts.samples {
            items.append(serverChart(samples, charts: charts, facts: report.facts))
            if samples.cgroupUsage.isEmpty && samples.tests.isEmpty {
                items.append(.omitted("\(samples.source): no cgroup usage or child processes in the samples: the server/tests split is left out."))
            } else {
                items.append(cgroupChart(samples))
            }
        }
        if charts.samples.isEmpty { items.append(.omitted("No memory samples: the server RSS and cgroup charts are left out.")) }
        if charts.sweep.count >= 2 {
            items += sweepCharts(charts.sweep)
        } else {
            items.append(.omitted("No baseline sweep: the -Xmx sweep chart is left out."))
        }
        return items
    }

    /// Chart titles, for tests and the page's contents list.
    public static func titles(_ items: [Item]) -> [String] {
        items.compactMap { if case .chart(let chart, _) = $0 { return chart.title } else { return nil } }
    }

    static func points(_ series: [PointSeries.Point], shift: Double = 0) -> [(x: Double, y: Double)] {
        series.map { (x: $0.timeSeconds + shift, y: $0.value) }
    }

    static func heapChart(_ log: ChartData.GCLog, prefix: String, maxHeap: Int64?) -> Item {
        var chart = SVGChart(
            title: "\(prefix)Heap before and after GC", xTitle: "time since JVM start", xQuantity: .seconds, yTitle: "heap", yQuantity: .bytes)
        chart.series = [
            .init("before GC", points: points(log.series.heapBefore), color: Palette.before),
            .init("after GC", points: points(log.series.heapAfter), color: Palette.after),
            .init("committed", points: points(log.series.committed), style: .dashedLine, color: Palette.committed),
            .init("live set (\(log.liveSetBasis ?? "unknown basis"))", points: points(log.liveSet), style: .dots, color: Palette.live),
            .init("live-set trend", points: points(log.liveSetTrend), style: .dashedLine, color: Palette.trend),
        ]
        if let maxHeap { chart.references = [.init("max heap \(Formatting.bytes(maxHeap))", value: Double(maxHeap), color: Palette.maxHeap)] }
        guard !chart.isEmpty else { return .omitted("\(log.source): no heap figures over time: the heap chart is left out.") }
        return .chart(chart, caption: log.source)
    }

    static func pauseChart(_ log: ChartData.GCLog, prefix: String) -> Item {
        var chart = SVGChart(title: "\(prefix)GC pauses", xTitle: "time since JVM start", xQuantity: .seconds, yTitle: "pause", yQuantity: .milliseconds)
        chart.height = 240
        chart.series = [.init("pause duration", points: points(log.series.pausesMs), style: .dots, color: Palette.pause)]
        guard !chart.isEmpty else { return .omitted("\(log.source): no timed pauses: the pause chart is left out.") }
        return .chart(chart, caption: log.source)
    }

    static func serverChart(_ samples: ChartData.Samples, charts: ChartData, facts: Facts) -> Item {
        var chart = SVGChart(
            title: "Server RSS, committed heap and MemoryMax", xTitle: "time since first sample", xQuantity: .seconds, yTitle: "memory",
            yQuantity: .bytes)
        chart.series = [.init("server RSS", points: points(samples.serverRSS), color: Palette.server)]
        let end = samples.serverRSS.last?.timeSeconds ?? samples.cgroupUsage.last?.timeSeconds ?? 0
        var caption = samples.source
        if let start = samples.startEpochSeconds,
            let log = charts.gcLogs.first(where: { log in
                log.series.startEpochSeconds.map { $0 - start + (log.series.committed.last?.timeSeconds ?? 0) >= 0 && $0 - start <= end } ?? false
            }), let logStart = log.series.startEpochSeconds
        {
            let shifted = points(log.series.committed, shift: logStart - start).filter { $0.x >= 0 && $0.x <= end + 1 }
            chart.series.append(.init("committed heap", points: shifted, style: .dashedLine, color: Palette.committed))
            caption += "; committed heap from \(log.source), lined up by wall clock"
        } else if let committed = facts.heap.committedPeak {
            chart.references.append(.init("committed heap peak \(Formatting.bytes(committed.value))", value: Double(committed.value), color: Palette.committed))
        }
        if let max = facts.heap.max { chart.references.append(.init("-Xmx \(Formatting.bytes(max.value))", value: Double(max.value), color: Palette.maxHeap)) }
        if let limit = samples.limitBytes { chart.references.append(.init("MemoryMax \(Formatting.bytes(limit))", value: Double(limit), color: Palette.limit)) }
        guard !chart.isEmpty else { return .omitted("\(samples.source): no server RSS in the samples: the server chart is left out.") }
        return .chart(chart, caption: caption)
    }

    static func cgroupChart(_ samples: ChartData.Samples) -> Item {
        var chart = SVGChart(
            title: "Cgroup usage: server and tests", xTitle: "time since first sample", xQuantity: .seconds, yTitle: "memory", yQuantity: .bytes)
        chart.series = [
            .init("cgroup usage", points: points(samples.cgroupUsage), color: Palette.usage),
            .init("server RSS", points: points(samples.serverRSS), color: Palette.server),
            .init("tests and actions (usage − server)", points: points(samples.tests), color: Palette.tests),
        ]
        if let limit = samples.limitBytes { chart.references = [.init("MemoryMax \(Formatting.bytes(limit))", value: Double(limit), color: Palette.limit)] }
        if !samples.oomKillSeconds.isEmpty { chart.markers = [.init("OOM kill (\(samples.oomKillSeconds.count))", positions: samples.oomKillSeconds, color: Palette.oom)] }
        return .chart(chart, caption: samples.source)
    }

    static func sweepCharts(_ steps: [ChartData.SweepStep]) -> [Item] {
        let swept = steps.filter { $0.maxHeapBytes != nil }
        let largestSwept = swept.compactMap(\.maxHeapBytes).max() ?? 0
        var shown: [(bytes: Double, step: ChartData.SweepStep)] = []
        var outliers: [String] = []
        for step in steps {
            guard let bytes = step.maxHeapBytes ?? step.effectiveMaxHeapBytes else { continue }
            // The heap as configured is often far above the swept range; a point there would squash the rest.
            if step.maxHeapBytes == nil, largestSwept > 0, bytes > 4 * largestSwept {
                outliers.append(
                    "as configured (\(Formatting.bytes(bytes))): \(Formatting.duration(seconds: step.wallSeconds)), GC \(Formatting.percent(step.gcTimeFraction)), \(step.result)")
                continue
            }
            shown.append((Double(bytes), step))
        }
        shown.sort { $0.bytes < $1.bytes }
        guard shown.count >= 2 else { return [.omitted("Fewer than two sweep runs with a known -Xmx: the sweep chart is left out.")] }
        let caption = outliers.isEmpty ? nil : "Not drawn: " + outliers.joined(separator: "; ")
        func chart(_ title: String, _ yTitle: String, _ quantity: ChartAxis.Quantity, _ value: (ChartData.SweepStep) -> Double?) -> SVGChart {
            var chart = SVGChart(title: title, xTitle: "-Xmx", xQuantity: .bytes, yTitle: yTitle, yQuantity: quantity)
            chart.height = 260
            let all = shown.compactMap { item in value(item.step).map { (x: item.bytes, y: $0) } }
            chart.series = [.init("all runs", points: all, color: Palette.committed)]
            for (result, color) in [("passed", Palette.live), ("thrashing", Palette.before), ("out-of-memory", Palette.oom), ("failed", Palette.maxHeap)] {
                let matching = shown.filter { $0.step.result == result }.compactMap { item in value(item.step).map { (x: item.bytes, y: $0) } }
                chart.series.append(.init(result, points: matching, style: .dots, color: color))
            }
            return chart
        }
        return [
            .chart(chart("Sweep: wall time by -Xmx", "wall time", .seconds) { $0.wallSeconds }, caption: caption),
            .chart(chart("Sweep: GC time by -Xmx", "GC time", .fraction) { $0.gcTimeFraction }, caption: caption),
        ]
    }
}
