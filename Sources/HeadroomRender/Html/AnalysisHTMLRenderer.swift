import HeadroomPlan

/// `--format html`: the analysis as one self-contained page — no scripts, no network, inline
/// CSS and SVG. The plan and findings come first, then the key facts, then the charts.
///
/// Every string that comes from an input (paths, rc values, log text in notes) goes through
/// `HTMLText.escape`; the version and the clock come from the report, so a report made without
/// `generatedAt` renders the same bytes every time.
public enum AnalysisHTMLRenderer {
    public static func render(_ report: AnalysisReport) -> String {
        let e = HTMLText.escape
        let title = "Headroom: memory plan for Bazel \(report.plan.release)"
        var out: [String] = []
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"en\">")
        out.append("<head>")
        out.append("<meta charset=\"utf-8\">")
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        out.append("<title>\(e(title))</title>")
        out.append("<style>\(style)</style>")
        out.append("</head>")
        out.append("<body>")
        out.append("<main>")
        out.append("<h1>\(e(title))</h1>")
        let generated = report.generatedAt.map { ", \(e($0))" } ?? ""
        out.append("<p class=\"meta\">\(e(report.tool)) \(e(report.toolVersion))\(generated)</p>")
        if report.isPartial {
            out.append("<p class=\"partial\"><strong>Partial evidence:</strong> some inputs were unreadable or cut short; the advice rests on less than was given.</p>")
        }

        out.append("<section id=\"plan\">")
        out.append("<h2>Plan</h2>")
        out.append("<ul>")
        for line in PlanLines.describe(report.plan) { out.append("<li>\(e(line))</li>") }
        out.append("</ul>")
        if !report.plan.allSettings.isEmpty {
            out.append("<pre>\(report.plan.allSettings.map { e($0.setting.rcLine) }.joined(separator: "\n"))</pre>")
        }
        out.append("</section>")

        out.append("<section id=\"findings\">")
        out.append("<h2>Findings (\(report.findings.count))</h2>")
        if report.findings.isEmpty { out.append("<p>Nothing to change on this evidence.</p>") }
        for finding in report.findings {
            out.append("<div class=\"finding \(finding.severity.rawValue)\">")
            out.append("<p><span class=\"badge\">\(finding.severity.rawValue)</span> <code>\(e(finding.rule))</code> \(e(finding.summary))</p>")
            out.append("<p class=\"detail\">\(e(finding.detail))</p>")
            if !finding.evidence.isEmpty {
                out.append("<ul class=\"evidence\">")
                for item in finding.evidence {
                    out.append("<li>\(e(item.label)): \(e(item.value)) <span class=\"source\">(\(e(item.source)))</span></li>")
                }
                out.append("</ul>")
            }
            out.append("</div>")
        }
        out.append("</section>")

        if let aggregate = report.aggregate {
            out.append("<section id=\"aggregate\">")
            out.append("<h2>Aggregate of \(aggregate.runs) runs</h2>")
            out.append("<ul>")
            for line in AggregateRows.lines(aggregate) { out.append("<li>\(e(line.label)): \(e(line.value))</li>") }
            out.append("</ul>")
            let rows = AggregateRows.table(aggregate)
            out.append("<table>")
            out.append("<tr>" + rows[0].map { "<th>\(e($0))</th>" }.joined() + "</tr>")
            for row in rows.dropFirst() { out.append("<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>") }
            out.append("</table>")
            out.append("</section>")
        }

        if !report.plan.collect.isEmpty {
            out.append("<section id=\"collect\">")
            out.append("<h2>Collect next time</h2>")
            out.append("<ul>")
            for item in report.plan.collect { out.append("<li>\(e(item))</li>") }
            out.append("</ul>")
            out.append("</section>")
        }

        out.append("<section id=\"facts\">")
        out.append("<h2>Key facts</h2>")
        out.append("<table>")
        out.append("<tr><th>fact</th><th>value</th><th>source</th></tr>")
        for row in KeyFacts.rows(report.facts) {
            out.append("<tr><td>\(e(row.label))</td><td>\(e(row.value))</td><td class=\"source\">\(e(row.source))</td></tr>")
        }
        out.append("</table>")
        out.append("</section>")

        out.append("<section id=\"charts\">")
        out.append("<h2>Charts</h2>")
        for item in AnalysisCharts.items(report) {
            switch item {
            case .chart(let chart, let caption):
                out.append("<figure>")
                out.append("<h3>\(e(chart.title))</h3>")
                out.append(chart.render())
                if let caption { out.append("<figcaption>\(e(caption))</figcaption>") }
                out.append("</figure>")
            case .omitted(let note):
                out.append("<p class=\"omitted\">\(e(note))</p>")
            }
        }
        out.append("</section>")

        out.append("<section id=\"evidence\">")
        out.append("<h2>Evidence</h2>")
        out.append("<ul>")
        for input in report.facts.inputs { out.append("<li>\(e(input))</li>") }
        for problem in report.problems { out.append("<li class=\"problem\">unreadable: \(e(problem))</li>") }
        out.append("</ul>")
        if !report.facts.notes.isEmpty {
            out.append("<h3>Notes</h3>")
            out.append("<ul>")
            for note in report.facts.notes.prefix(20) { out.append("<li>\(e(note))</li>") }
            out.append("</ul>")
        }
        out.append("</section>")
        out.append("</main>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }

    static let style = """
        body{margin:0;background:#fff;color:#1d1d1f;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}\
        main{max-width:900px;margin:0 auto;padding:20px 24px 40px}\
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}\
        h3{font-size:14px;margin:18px 0 4px}\
        .meta{color:#666;margin:0}.partial{background:#fff4e5;border-left:4px solid #e07b00;padding:6px 10px}\
        pre{background:#f5f5f7;padding:8px 10px;overflow-x:auto;font-size:13px}code{font-size:13px}\
        ul{padding-left:20px;margin:4px 0}li{margin:2px 0;overflow-wrap:anywhere}\
        .finding{border-left:4px solid #999;padding:2px 10px;margin:8px 0;background:#fafafa}.finding p{margin:4px 0}\
        .finding.critical{border-color:#c62828}.finding.warning{border-color:#e07b00}.finding.advice{border-color:#1f6fb5}\
        .badge{display:inline-block;font-size:11px;text-transform:uppercase;letter-spacing:.04em;padding:0 5px;border-radius:3px;background:#666;color:#fff}\
        .critical .badge{background:#c62828}.warning .badge{background:#e07b00}.advice .badge{background:#1f6fb5}\
        .detail{color:#333}.evidence{font-size:13px}.source{color:#777;font-size:12px;overflow-wrap:anywhere}\
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px 3px 0;border-bottom:1px solid #eee;vertical-align:top}\
        figure{margin:10px 0 18px}figcaption{color:#777;font-size:12px;overflow-wrap:anywhere}\
        .omitted{color:#777;font-style:italic;margin:4px 0}.problem{color:#c62828}\
        svg.chart{display:block;max-width:100%;height:auto;font-family:system-ui,"DejaVu Sans",sans-serif}\
        svg .plot{fill:#fcfcfd;stroke:none}svg .grid{stroke:#e6e6e6;stroke-width:1}svg .axis{stroke:#888;stroke-width:1}\
        svg .tick{font-size:11px;fill:#555}svg .axis-title{font-size:12px;fill:#333}svg .legend{font-size:12px;fill:#333}
        """
}
