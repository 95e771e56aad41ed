/// `--format markdown`: the analysis for a pull request or a CI job summary.
public enum AnalysisMarkdownRenderer {
    public static func render(_ report: AnalysisReport) -> String {
        var out: [String] = []
        out.append("## Headroom: memory plan for Bazel \(MarkdownText.escape(report.plan.release))")
        if report.isPartial { out.append("\n> **Partial evidence**: some inputs were unreadable or cut short.") }
        out.append("")
        out.append("### Plan")
        out.append("")
        for line in PlanLines.describe(report.plan) { out.append("- \(MarkdownText.escape(line))") }
        if !report.plan.allSettings.isEmpty {
            out.append("")
            out.append("```")
            for item in report.plan.allSettings { out.append(item.setting.rcLine) }
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

    static func table(_ rows: [KeyFacts.Row]) -> String {
        var lines = ["| fact | value | source |", "|---|---|---|"]
        for row in rows {
            lines.append("| \(MarkdownText.escape(row.label)) | \(MarkdownText.escape(row.value)) | \(MarkdownText.escape(row.source)) |")
        }
        return lines.joined(separator: "\n")
    }
}
