import ArgumentParser

/// The options every report-printing command shares: the format and where the report goes.
struct ReportOptions: ParsableArguments {
    /// The report formats the commands print.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(help: "Replace an existing --output file.")
    var force = false

    /// Writes `report` to standard output or, atomically, to `--output`.
    func write(_ report: String) throws {
        try OutputWriter.write(report, to: output, force: force)
    }
}
