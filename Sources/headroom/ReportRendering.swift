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
        let format = form.map(\.reportFormat) ?? options.format.reportFormat
        var context = ReportFormat.Context(command: command, style: TextStyle(colour: options.output == nil && Terminal.allowsColour(STDOUT_FILENO)))
        if format == .openmetrics || format == .prometheus { context.labels = labels() }
        return try format.render(report, context: context)
    }
}

extension PlanForm {
    var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

extension AdviceFormat {
    var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
