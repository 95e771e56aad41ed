import HeadroomPlan

/// Every form a planning report is written in, with the one entry point that renders each: the
/// command line and the tests go through `render`, so they cannot drift apart.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// The report for a person at a terminal.
    case text
    /// The stable JSON every other form starts from.
    case json
    /// A pull-request comment.
    case markdown
    /// A self-contained page with charts.
    case html
    /// OpenMetrics text, and the older Prometheus text format.
    case openmetrics, prometheus
    /// The plan's ready-to-use forms: a `.bazelrc` fragment, `systemd-run` lines and a slice, a CI snippet.
    case bazelrc, systemd, ci

    /// What a rendering needs beyond the report: the command the snippets run, the metric
    /// labels (the caller names the workspace and host, which facts do not hold), colour.
    public struct Context: Sendable {
        public var command: [String]
        public var labels: MetricLabels
        public var style: TextStyle

        public init(command: [String] = ["bazel", "build", "//..."], labels: MetricLabels = MetricLabels(), style: TextStyle = .plain) {
            self.command = command
            self.labels = labels
            self.style = style
        }
    }

    /// The plan's ready-to-use forms, as opposed to reports about it.
    public var isPlanForm: Bool { [.bazelrc, .systemd, .ci].contains(self) }

    /// `report` in this format.
    public func render(_ report: AnalysisReport, context: Context = Context()) throws -> String {
        switch self {
        case .text: AnalysisTextRenderer.render(report, style: context.style)
        case .json: try JSONRenderer.render(report)
        case .markdown: AnalysisMarkdownRenderer.render(report)
        case .html: AnalysisHTMLRenderer.render(report)
        case .openmetrics: OpenMetricsRenderer.render(report, labels: context.labels, dialect: .openMetrics)
        case .prometheus: OpenMetricsRenderer.render(report, labels: context.labels, dialect: .prometheus)
        case .bazelrc: BazelrcFragmentRenderer.render(report)
        case .systemd: SystemdRenderer.render(report, command: context.command)
        case .ci: CISnippetRenderer.render(report, command: context.command)
        }
    }
}
