import ArgumentParser
import Foundation
import HeadroomKit

/// The plan's ready-to-use forms (`--emit`).
enum PlanForm: String, ExpressibleByArgument, CaseIterable {
    case bazelrc, systemd, ci
}

/// Turns a planning report into output text, for every command that plans (`analyze`,
/// `aggregate`): one of the plan's ready-to-use forms, else the report in the chosen format.
enum ReportRendering {
    static func render(
        _ report: AnalysisReport, form: PlanForm?, command: [String], options: ReportOptions<AdviceFormat>, labels: () -> MetricLabels
    ) throws -> String {
        switch form {
        case .bazelrc?: return BazelrcFragmentRenderer.render(report)
        case .systemd?: return SystemdRenderer.render(report, command: command)
        case .ci?: return CISnippetRenderer.render(report, command: command)
        case nil:
            switch options.format {
            case .text: return AnalysisTextRenderer.render(report, style: TextStyle(colour: options.output == nil && Terminal.allowsColour(STDOUT_FILENO)))
            case .json: return try JSONRenderer.render(report)
            case .markdown: return AnalysisMarkdownRenderer.render(report)
            case .openmetrics, .prometheus: return OpenMetricsRenderer.render(report, labels: labels(), dialect: options.format.metricsDialect!)
            case .html: return AnalysisHTMLRenderer.render(report)
            }
        }
    }
}
