import HeadroomPlan

/// The terminal report of `headroom analyze`: the plan first, then why, in 80 columns.
public enum AnalysisTextRenderer {
    public static func render(_ report: AnalysisReport, style: TextStyle = .plain) -> String {
        var out: [String] = []
        out.append("Headroom \(report.toolVersion): memory plan for the Bazel server" + (report.isPartial ? " (PARTIAL: some evidence unreadable or cut short)" : ""))
        out.append("")
        section("Evidence", into: &out, style: style)
        for input in report.facts.inputs { out.append(TextWrap.wrap(input, indent: "    ", firstIndent: "  ")) }
        for problem in report.problems { out.append(TextWrap.wrap("unreadable: \(problem)", indent: "    ", firstIndent: "  ")) }
        out.append("")
        if let aggregate = report.aggregate {
            section("Aggregate of \(aggregate.runs) runs", into: &out, style: style)
            for line in AggregateRows.lines(aggregate) {
                out.append(TextWrap.wrap(line.value, indent: String(repeating: " ", count: 19), firstIndent: "  " + line.label.padding(toLength: 17, withPad: " ", startingAt: 0)))
            }
            for row in AggregateRows.table(aggregate) {
                let figure = "  " + row[0].padding(toLength: 12, withPad: " ", startingAt: 0)
                out.append(figure + row.dropFirst().enumerated().map { index, cell in
                    let width = index == 0 ? 5 : 10
                    return String(repeating: " ", count: max(1, width - cell.count)) + cell
                }.joined())
            }
            out.append("")
        }
        section("Key facts", into: &out, style: style)
        let rows = KeyFacts.rows(report.facts)
        let width = min(26, (rows.map(\.label.count).max() ?? 0) + 2)
        for row in rows {
            // Values and sources can quote inputs (a release, a path): one line each.
            let line = "  " + row.label.padding(toLength: width, withPad: " ", startingAt: 0) + VisibleText.oneLine(row.value)
            let source = "(\(VisibleText.oneLine(row.source)))"
            if line.count + 2 + source.count <= 80 {
                out.append(line + "  " + source)
            } else {
                out.append(line)
                out.append(TextWrap.wrap(source, indent: String(repeating: " ", count: width + 4), firstIndent: String(repeating: " ", count: width + 4)))
            }
        }
        out.append("")
        section("Plan for Bazel \(VisibleText.oneLine(report.plan.release))", into: &out, style: style)
        out += PlanLines.describe(report.plan).map { TextWrap.wrap($0, indent: "      ", firstIndent: "  ") }
        out.append("")
        section("Findings (\(report.findings.count))", into: &out, style: style)
        if report.findings.isEmpty { out.append("  Nothing to change on this evidence.") }
        for finding in report.findings {
            let tag = "[\(finding.severity.rawValue)]"
            let first = TextWrap.wrap("\(finding.summary)", indent: "    ", firstIndent: "  \(tag) \(finding.rule): ")
            out.append("  " + style.severity(finding.severity, tag) + first.dropFirst(2 + tag.count))
            out.append(TextWrap.wrap(finding.detail, indent: "    ", firstIndent: "    "))
            for item in finding.evidence {
                out.append(TextWrap.wrap("\(item.label): \(item.value) (\(item.source))", indent: "        ", firstIndent: "    - "))
            }
        }
        if !report.plan.collect.isEmpty {
            out.append("")
            section("Collect next time", into: &out, style: style)
            for item in report.plan.collect { out.append(TextWrap.wrap(item, indent: "    ", firstIndent: "  - ")) }
        }
        if !report.facts.notes.isEmpty {
            out.append("")
            section("Notes", into: &out, style: style)
            for note in report.facts.notes.prefix(20) { out.append(TextWrap.wrap(note, indent: "    ", firstIndent: "  - ")) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func section(_ title: String, into out: inout [String], style: TextStyle) {
        out.append(style.heading(title))
    }
}
