import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom analyze`: evidence in, a plan out — as a report or as ready-to-use settings.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Turn measured evidence into a plan: -Xmx, Bazel flags, a cgroup MemoryMax.",
        discussion: """
            Reads bundles and single files, builds the facts, runs every rule (see 'headroom explain') \
            and merges their findings into one plan for the target Bazel release. --emit prints the \
            plan as a .bazelrc fragment, systemd-run lines and a slice unit, or a CI snippet; \
            --emit summary prints the run's peaks as one JSON line to append to a file for \
            'headroom aggregate'. \
            --format openmetrics (or prometheus, the older text format) prints the key facts and the \
            plan as headroom_* gauges labelled workspace, host, context and bazel_release. \
            Exit status: 0 analysed; 1 analysed, but some input was unreadable or cut short; \
            2 a finding at or above --fail-on; 3 no input could be read; 64 usage error.
            """
    )

    /// Ready-to-use forms of the plan.
    enum Emit: String, ExpressibleByArgument, CaseIterable {
        case bazelrc, systemd, ci
        /// One JSON line of the run's peaks (`RunSummary`), for `aggregate`.
        case summary

        var planForm: PlanForm? { PlanForm(rawValue: rawValue) }
    }

    @OptionGroup var evidence: EvidenceOptions
    @OptionGroup var reportOptions: ReportOptions<AdviceFormat>

    @Option(help: "Print the plan as: bazelrc (a fragment to try-import), systemd (systemd-run and a slice), ci (a bootstrap snippet); or summary: the run's peaks as one JSON line for 'headroom aggregate'.")
    var emit: Emit?

    @Option(name: .customLong("run"), help: "The Bazel command the systemd and ci snippets run, split into words as a shell would, nothing expanded (default: 'bazel COMMAND //...').")
    var runLine: String?

    @Option(name: .customLong("fail-on"), help: "Exit 2 when a finding is at least this severe: info, advice, warning, critical.")
    var failOn: Finding.Severity?

    func run() throws {
        let inputs = try evidence.inputs()
        let report = AnalysisReport.make(inputs, generatedAt: ISOTime.now())
        for problem in report.problems { StandardError.say(problem) }
        if report.facts.inputs.isEmpty {
            StandardError.say("no input could be read")
            throw ExitCode(.inputUnreadable)
        }
        let command = try RunLine.words(runLine) ?? ["bazel", evidence.bazelCommand, "//..."]
        let text: String
        if emit == .summary {
            text = try RunSummary.make(report, inputs: inputs).jsonLine()
        } else {
            text = try ReportRendering.render(report, form: emit?.planForm, command: command, options: reportOptions) { MetricLabels.from(inputs) }
        }
        try reportOptions.write(text)
        if let failOn, let highest = report.highestSeverity, highest >= failOn { throw ExitCode(.findingAtOrAboveThreshold) }
        if report.isPartial { throw ExitCode(.partial) }
    }
}

extension Finding.Severity: ExpressibleByArgument {}
