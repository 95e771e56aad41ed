import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom review`: is a proposed heap change justified by the evidence?
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Judge a proposed -Xmx change against the evidence: justified, not-justified, raise-too-small or insufficient-evidence.",
        discussion: """
            Give the change as rc lines (--proposed 'startup --host_jvm_args=-Xmx14g'), as two rc files \
            (--before, --after), or as a unified diff (--diff FILE, '-' for standard input). \
            Exit status: 0 justified; 10 not-justified; 11 insufficient-evidence; 12 raise-too-small \
            (the heap is too small and the change goes the right way, but the evidence supports a larger \
            one); 3 an input could not be read; 64 usage error.
            """
    )

    @OptionGroup var evidence: EvidenceOptions
    @OptionGroup var reportOptions: ReportOptions<AdviceFormat>

    @Option(help: "A proposed rc line (repeatable).")
    var proposed: [String] = []

    @Option(help: "The current .bazelrc (with --after).")
    var before: String?

    @Option(help: "The proposed .bazelrc (with --before).")
    var after: String?

    @Option(help: "A unified diff of rc files ('-' for standard input).")
    var diff: String?

    /// Review prints a verdict: text, JSON or Markdown; the page and metrics forms are analyze's.
    static func unsupportedFormat(_ format: AdviceFormat) -> ValidationError {
        ValidationError("review prints text, json or markdown; --format \(format.rawValue) is for 'headroom analyze'")
    }

    func validate() throws {
        if ![.text, .json, .markdown].contains(reportOptions.format) { throw Self.unsupportedFormat(reportOptions.format) }
        let forms = [!proposed.isEmpty, before != nil || after != nil, diff != nil].filter { $0 }.count
        guard forms == 1 else { throw ValidationError("give the change one way: --proposed, --before with --after, or --diff") }
        if (before == nil) != (after == nil) { throw ValidationError("--before and --after go together") }
    }

    func run() throws {
        let change: ProposedChange
        do {
            if !proposed.isEmpty {
                change = try ProposedChange.rcLines(proposed, command: evidence.bazelCommand)
            } else if let before, let after {
                change = try ProposedChange.files(before: before, after: after, workspace: evidence.workspace, command: evidence.bazelCommand)
            } else {
                let path = diff ?? "-"
                let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
                guard let data else { throw InputError(path: path, reason: "cannot be read") }
                change = try ProposedChange.unifiedDiff(String(decoding: data, as: UTF8.self), name: path, workspace: evidence.workspace, command: evidence.bazelCommand)
            }
        } catch {
            StandardError.say("\(error)")
            throw ExitCode(.inputUnreadable)
        }
        // A verdict rests on the user's evidence only, never on the bundled example.
        let inputs = try evidence.inputs(bundledCaseWhenEmpty: false)
        let analysis = AnalysisReport.make(inputs, generatedAt: ISOTime.now())
        for problem in analysis.problems { StandardError.say(problem) }
        if inputs.isEmpty {
            StandardError.say("no evidence given (a bundle, --gc-log, --samples, …): the verdict can only be insufficient-evidence")
        } else if analysis.facts.inputs.isEmpty {
            StandardError.say("no input could be read")
            throw ExitCode(.inputUnreadable)
        }
        let review = HeapReview.review(change, analysis: analysis)
        let text: String
        switch reportOptions.format {
        case .text: text = ReviewRenderer.text(review)
        case .json: text = try JSONRenderer.render(review)
        case .markdown: text = ReviewRenderer.markdown(review)
        case .html, .openmetrics, .prometheus: throw Self.unsupportedFormat(reportOptions.format)
        }
        try reportOptions.write(text)
        if review.verdict != .justified { throw ExitCode(review.verdict.exitStatus) }
    }
}
