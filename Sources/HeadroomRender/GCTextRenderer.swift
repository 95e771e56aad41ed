import HeadroomPlan

/// The terminal report of `headroom gc`: what a person reads first.
public enum GCTextRenderer {
    public static func render(_ summary: GCLogSummary) -> String {
        var lines: [String] = []
        let title = summary.isPartial ? "GC log analysis (PARTIAL: an input broke off or a part is missing)" : "GC log analysis"
        lines.append(title)
        lines.append(String(repeating: "=", count: title.count))
        let files = summary.inputs.map(\.path)
        lines.append("Input        \(files.count == 1 ? files[0] : "\(files.count) files, \(files.first ?? "") … \(files.last ?? "")")")
        lines.append("Collector    \(summary.collector.rawValue)" + (summary.jvmVersion.map { ", JVM \($0)" } ?? ""))
        var span = "Span         \(Formatting.duration(seconds: summary.spanSeconds))"
        if let first = summary.firstWallTime, let last = summary.lastWallTime { span += " (\(first) to \(last))" }
        if summary.segmentCount > 1 { span += ", \(summary.segmentCount) JVM runs" }
        lines.append(span)
        lines.append("Max heap     \(Formatting.bytes(summary.maxHeapBytes)) configured, \(Formatting.bytes(summary.heapCommittedPeakBytes)) committed at peak")
        lines.append("")
        if let live = summary.liveSet {
            let label = live.isUpperBound ? "Live set ≤  " : "Live set    "
            lines.append("\(label) peak \(Formatting.bytes(live.peakBytes)), median \(Formatting.bytes(live.medianBytes)) (\(live.observations) observations, basis: \(live.basis.rawValue)\(live.isUpperBound ? ", an upper bound" : ""))")
            if let slope = live.slopeBytesPerHour, let fit = live.slopeGoodnessOfFit {
                var trend = "Trend        \(slope >= 0 ? "+" : "")\(Formatting.bytes(slope))/h, R² \(String(format: "%.2f", fit))"
                if let growth = live.growthFraction { trend += ", \(growth >= 0 ? "+" : "")\(Formatting.percent(growth)) over the run" }
                lines.append(trend)
            }
            if let max = summary.maxHeapBytes, max > 0 {
                lines.append("Heap/live    \(String(format: "%.1f", Double(max) / Double(Swift.max(live.peakBytes, 1))))× (configured max heap over peak live set)")
            }
        } else {
            lines.append("Live set     unknown: no collection reported heap figures")
        }
        lines.append("")
        lines.append("GC time      \(Formatting.percent(summary.gcTimeFraction)) of the span" + (summary.maxWindowGCFraction.map { ", worst \(Int($0.windowSeconds)) s window \(Formatting.percent($0.fraction))" } ?? ""))
        lines.append("Pauses       \(summary.pauseCount) (\(summary.fullGCCount) full), total \(Formatting.milliseconds(summary.pauseTotalMs))")
        if let p = summary.pausePercentilesMs {
            lines.append("Pause times  p50 \(Formatting.milliseconds(p.p50)), p90 \(Formatting.milliseconds(p.p90)), p99 \(Formatting.milliseconds(p.p99)), max \(Formatting.milliseconds(p.max))")
        }
        if let rate = summary.allocationRateBytesPerSecond {
            var text = "Allocation   \(Formatting.bytes(rate))/s"
            if let promotion = summary.promotionRateBytesPerSecond { text += ", promotion \(Formatting.bytes(promotion))/s" }
            lines.append(text)
        }
        if summary.concurrentCycles > 0 { lines.append("Cycles       \(summary.concurrentCycles) concurrent collection cycles") }
        let coverage = summary.coverage
        lines.append("Coverage     \(coverage.linesRecognized) of \(coverage.linesRead) lines recognised (\(Formatting.percent(coverage.recognizedFraction)) of non-blank)")
        if !summary.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings")
            for warning in summary.warnings { lines.append("  - \(warning)") }
        }
        if !coverage.unrecognized.isEmpty {
            lines.append("")
            lines.append("Unrecognised lines (first \(min(5, coverage.unrecognized.count)))")
            for sample in coverage.unrecognized.prefix(5) {
                lines.append("  \(sample.location): \(String(sample.text.prefix(100)))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
