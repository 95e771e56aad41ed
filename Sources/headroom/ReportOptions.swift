import ArgumentParser
import HeadroomKit

/// Report formats of the commands that describe one input: `gc`, `oom`.
enum DataFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Report formats of the commands that advise: `analyze`, `review` (html and metrics are
/// `analyze` only).
enum AdviceFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, html
    /// OpenMetrics text, and the Prometheus text format for parsers without OpenMetrics.
    case openmetrics, prometheus
}

/// The options every report-printing command shares: the format and where the report goes.
struct ReportOptions<Format: ExpressibleByArgument & CaseIterable & RawRepresentable>: ParsableArguments where Format.RawValue == String {
    @Option(help: ArgumentHelp("Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: Format = Format.allCases.first!

    @Option(name: .shortAndLong, help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(help: "Replace an existing --output file.")
    var force = false

    init() {}

    /// Writes `report` to standard output or, atomically, to `--output`.
    func write(_ report: String) throws {
        try OutputWriter.write(report, to: output, force: force)
    }
}
