import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom aggregate`: many runs in, one plan out, sized as the Kubernetes VPA sizes a container.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Plan from many runs: decayed percentiles of their peaks, as the Kubernetes VPA does.",
        discussion: """
            Reads bundles, folders holding bundles (at any depth), and .jsonl files of run summaries \
            ('headroom analyze --emit summary' lines). Each figure (live set, server RSS, cgroup peak, \
            tests peak) goes into a histogram with 5 % buckets whose weights halve per --half-life; \
            OOM-killed runs count as max(+100 MiB, 1.2 ×) what they reached. The plan uses \
            P90 × 1.15 of each figure (--percentile, --margin); the report also gives P50 × 1.15 and \
            P95 × 1.15 × (1 + 1/confidence), confidence = min(span in days, runs / 10). \
            Exit status: 0 aggregated; 1 aggregated, but some input or line was unreadable; \
            3 no run could be read; 64 usage error.
            """
    )

    @Argument(help: "Bundles, folders of bundles, and .jsonl files of run summaries.")
    var inputs: [String]

    @Option(name: .customLong("half-life"), help: "A run's weight halves per this much age before the newest run (24h, 7d).")
    var halfLife = DurationArgument(seconds: 86_400)

    @Option(help: "The percentile the plan uses, 0 to 1.")
    var percentile = 0.9

    @Option(help: "Margin on top of every percentile, e.g. 0.15 for 15 %.")
    var margin = 0.15

    @OptionGroup var reportOptions: ReportOptions<AdviceFormat>

    @Option(help: "Print the plan as: bazelrc (a fragment to try-import), systemd (systemd-run and a slice), ci (a bootstrap snippet).")
    var emit: PlanForm?

    @Option(name: .customLong("run"), help: "The Bazel command the systemd and ci snippets run, split into words as a shell would, nothing expanded (default: 'bazel test //...').")
    var runLine: String?

    func validate() throws {
        guard percentile > 0, percentile <= 1 else { throw ValidationError("--percentile must be above 0 and at most 1") }
        guard margin >= 0, margin.isFinite else { throw ValidationError("--margin must be 0 or more") }
    }

    func run() throws {
        var options = AggregateOptions()
        options.halfLifeSeconds = halfLife.seconds
        options.targetPercentile = percentile
        options.margin = margin
        var aggregator = Aggregator(options: options)
        aggregator.read(inputs)
        for problem in aggregator.unreadable { StandardError.say(problem) }
        guard aggregator.runs > 0 else {
            StandardError.say("no run could be read")
            throw ExitCode(.inputUnreadable)
        }
        let report = aggregator.report(generatedAt: ISOTime.now())
        let command = try RunLine.words(runLine) ?? ["bazel", "test", "//..."]
        let text = try ReportRendering.render(report, form: emit, command: command, options: reportOptions) {
            MetricLabels(workspace: aggregator.newestRun?.workspace)
        }
        try reportOptions.write(text)
        if !aggregator.unreadable.isEmpty { throw ExitCode(.partial) }
    }
}
