import HeadroomPlan

/// `--format markdown`: the analysis for a pull request or a CI job summary.
public enum AnalysisMarkdownRenderer {
    public static func render(_ report: AnalysisReport) -> String {
        var out: [String] = []
        out.append("## Headroom: memory plan for Bazel \(MarkdownText.escape(report.plan.release))")
        if report.isPartial { out.append("\n> **Partial evidence**: some inputs were unreadable or cut short.") }
        out.append("")
        out.append("### Plan")
        out.append("")
        out.append(planTable(report.plan))
        if !report.plan.allSettings.isEmpty {
            out.append("")
            out.append("```")
            for item in report.plan.allSettings { out.append(VisibleText.oneLine(item.setting.rcLine)) }
            out.append("```")
        }
        out.append("")
        out.append("### Findings")
        out.append("")
        if report.findings.isEmpty { out.append("Nothing to change on this evidence.") }
        for finding in report.findings {
            out.append("- **\(finding.severity.rawValue)** `\(finding.rule)`: \(MarkdownText.escape(finding.summary))")
            out.append("  \(MarkdownText.escape(finding.detail))")
        }
        if let aggregate = report.aggregate {
            out.append("")
            out.append("### Aggregate of \(aggregate.runs) runs")
            out.append("")
            for line in AggregateRows.lines(aggregate) where line.label != "unreadable" {
                out.append("- \(MarkdownText.escape(line.label)): \(MarkdownText.escape(line.value))")
            }
            if !aggregate.unreadable.isEmpty {
                out.append("- unreadable (\(aggregate.unreadable.count)):")
                for item in aggregate.unreadable.prefix(10) { out.append("  - \(MarkdownText.escape(item))") }
                if aggregate.unreadable.count > 10 { out.append("  - and \(aggregate.unreadable.count - 10) more") }
            }
            out.append("")
            let rows = AggregateRows.table(aggregate)
            out.append("| " + rows[0].map(MarkdownText.escape).joined(separator: " | ") + " |")
            out.append("|---|" + String(repeating: "---:|", count: rows[0].count - 1))
            for row in rows.dropFirst() { out.append("| " + row.map(MarkdownText.escape).joined(separator: " | ") + " |") }
        }
        out.append("")
        out.append("### Key facts")
        out.append("")
        out.append(table(KeyFacts.rows(report.facts)))
        if !report.plan.collect.isEmpty {
            out.append("")
            out.append("### Collect next time")
            out.append("")
            for item in report.plan.collect { out.append("- \(MarkdownText.escape(item))") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The plan as a table a forge renders: each change, the rules behind it, and why.
    static func planTable(_ plan: Plan) -> String {
        var lines = ["| change | rules | why |", "|---|---|---|"]
        if let heap = plan.heap {
            let change = heap.setting.map { MarkdownText.tableCode($0.rcLine) } ?? "keep the heap (\(heap.currentBytes.map { MarkdownText.tableCode("-Xmx" + ByteSize.jvmArgument($0)) } ?? "as it is"))"
            lines.append("| \(change) | \(heap.rules.map(MarkdownText.tableCode).joined(separator: ", ")) | \(MarkdownText.escape(heap.basis)) |")
        }
        for item in plan.settings {
            lines.append("| \(MarkdownText.tableCode(item.setting.rcLine))\(item.verified ? "" : " (unverified)") | \(item.rules.map(MarkdownText.tableCode).joined(separator: ", ")) | \(MarkdownText.escape(item.setting.reason)) |")
        }
        if let cgroup = plan.cgroup {
            lines.append("| \(MarkdownText.tableCode(cgroup.limits.description)) | \(cgroup.rules.map(MarkdownText.tableCode).joined(separator: ", ")) | \(MarkdownText.escape(cgroup.limits.basis)) |")
        }
        for command in plan.commands { lines.append("| run \(MarkdownText.tableCode(command)) | | |") }
        for dropped in plan.dropped {
            lines.append("| not set: \(MarkdownText.tableCode(dropped.argument)) | \(MarkdownText.tableCode(dropped.rule)) | \(MarkdownText.escape(dropped.reason)) |")
        }
        for note in plan.notes { lines.append("| resolved | | \(MarkdownText.escape(note)) |") }
        if lines.count == 2 { lines.append("| no change | | |") }
        return lines.joined(separator: "\n")
    }

    static func table(_ rows: [KeyFacts.Row]) -> String {
        var lines = ["| fact | value | source |", "|---|---|---|"]
        for row in rows {
            lines.append("| \(MarkdownText.escape(row.label)) | \(MarkdownText.escape(row.value)) | \(MarkdownText.escape(row.source)) |")
        }
        return lines.joined(separator: "\n")
    }
}
