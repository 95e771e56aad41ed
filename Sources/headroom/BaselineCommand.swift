import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom baseline`: the analysis-phase heap of a workspace, and with `--sweep` its real floor.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Measure the analysis-phase live heap (bazel build --nobuild); --sweep finds the smallest -Xmx.",
        discussion: """
            Runs `bazel build --nobuild -k TARGETS` recorded (GC log, samples, bazel info with the \
            same startup options), then with --sweep again on fresh servers with smaller -Xmx values \
            (bisection from the live set × 1.1 to the configured maximum), judging each by its GC \
            time and wall time against the first run. Bazel's OOM (exit 33) and kernel kills are \
            results. Writes a bundle with baseline.json and a table; prints the table. Exit status: \
            0 measured; 1 the first run failed; 3 Bazel could not be started or the bundle written.
            """
    )

    @Argument(help: "Target patterns (default //...).")
    var targets: [String] = []

    @Option(help: "The workspace to run in (default: the current folder).")
    var workspace: String?

    @Option(help: "The Bazel binary.")
    var bazel = "bazel"

    @Option(name: .customLong("startup-option"), help: "A startup option for every run (repeat), e.g. --output_base=/x.")
    var startupOptions: [String] = []

    @Flag(help: "Find the smallest -Xmx at which analysis completes without thrashing.")
    var sweep = false

    @Option(name: .customLong("sweep-max"), help: "Largest -Xmx to try (default: the configured maximum heap).")
    var sweepMax: String?

    @Option(name: .customLong("sweep-steps"), help: "Most sweep steps.")
    var sweepSteps = 6

    @Option(help: "Stop a run after this long.")
    var timeout: DurationArgument?

    @Option(help: "The bundle folder to write.")
    var out = "headroom-baseline"

    @Flag(help: "Replace an existing bundle folder.")
    var force = false

    @Flag(help: "No progress on standard error (there is none either when it is not a terminal).")
    var quiet = false

    func run() throws {
        var settings = BaselineRunner.Settings(bazel: [bazel] + startupOptions, targets: targets.isEmpty ? ["//..."] : targets, folder: out)
        settings.replace = force
        settings.workspace = workspace
        settings.sweep = sweep
        settings.maximumSweepSteps = sweepSteps
        settings.stepTimeoutSeconds = timeout?.seconds
        if let sweepMax {
            guard let bytes = JVMSize.bytes(sweepMax) else { throw ValidationError("--sweep-max takes a size such as 2g or 512m") }
            settings.sweepCeilingBytes = bytes
        }
        let progress = Progress(quiet: quiet)
        let runner = BaselineRunner(settings: settings) { message in
            progress.say(message)
        }
        let interrupt = InterruptFlag()
        interrupt.install()
        let report: BaselineReport
        do {
            report = try runner.run { interrupt.isRaised }
        } catch {
            StandardError.say("\(error)")
            throw ExitCode(.inputUnreadable)
        }
        FileHandle.standardOutput.write(Data(BaselineTable.render(report).utf8))
        if report.steps.first?.result != .passed { throw ExitCode(.baselineFailed) }
    }
}
