import Foundation
import HeadroomPlan

/// The aggregate summary as label/value lines and a per-figure table, shared by the text and
/// Markdown reports so they agree.
public enum AggregateRows {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var value: String
    }

    public static func lines(_ summary: AggregateSummary) -> [Line] {
        var lines: [Line] = []
        let span = summary.oldestRun.flatMap { oldest in summary.newestRun.map { "\(oldest) … \($0)" } } ?? "none"
        lines.append(Line(label: "runs", value: "\(summary.runs) (\(span), span \(Formatting.duration(seconds: summary.spanSeconds)))"))
        if !summary.unreadable.isEmpty { lines.append(Line(label: "unreadable", value: "\(summary.unreadable.count) inputs or lines (see Evidence)")) }
        lines.append(Line(label: "confidence", value: summary.confidenceBasis))
        lines.append(
            Line(
                label: "weighting",
                value: "half-life \(Formatting.duration(seconds: summary.halfLifeSeconds)), \(percentile(summary.lowerPercentile)) / "
                    + "\(percentile(summary.targetPercentile)) / \(percentile(summary.upperPercentile)) + \(Formatting.percent(summary.margin))"))
        if summary.oomKilledRuns > 0 || summary.oomBumps > 0 {
            lines.append(Line(label: "OOM-killed runs", value: "\(summary.oomKilledRuns); \(summary.oomBumps) figures raised to max(+100 MiB, ×1.2)"))
        }
        return lines
    }

    /// Header and one row per figure with runs: runs, the three percentiles, target and upper bound.
    public static func table(_ summary: AggregateSummary) -> [[String]] {
        var rows = [["figure", "runs", percentile(summary.lowerPercentile), percentile(summary.targetPercentile), percentile(summary.upperPercentile), "target", "upper"]]
        for figure in summary.figures where figure.runs > 0 {
            let label = AggregateFigure(rawValue: figure.name)?.label ?? figure.name
            rows.append(
                [label, String(figure.runs)] + [figure.lowerPercentileBytes, figure.targetPercentileBytes, figure.upperPercentileBytes, figure.targetBytes, figure.upperBytes].map {
                    $0.map(Formatting.bytes) ?? "-"
                })
        }
        return rows
    }

    static func percentile(_ fraction: Double) -> String {
        "P" + String(format: "%g", (fraction * 1000).rounded() / 10)
    }
}
