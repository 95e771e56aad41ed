import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom gc FILE...`: analyse JVM GC logs.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Analyse JVM GC logs: live set, pauses, GC time, allocation.",
        discussion: """
            Reads unified (-Xlog, JDK 9-25) and JDK 8 legacy logs of G1, Parallel, Serial, CMS, ZGC \
            and Shenandoah, plain or gzip, rotated sets in time order. '-' reads standard input. \
            Exit status: 0 analysed; 1 analysed but partial (an input broke off, or a rotated file is missing); 64 usage error; \
            3 an input could not be read; 4 nothing recognisable in the input.
            """
    )

    @Argument(help: "GC log files, directories or '-'. None: the bundled Corpus case.")
    var files: [String] = []

    @OptionGroup var reportOptions: ReportOptions<DataFormat>

    @Flag(help: "No progress on standard error (there is none either when it is not a terminal).")
    var quiet = false

    func run() throws {
        let paths = try files.isEmpty ? [DefaultCase.directory(DefaultCase.gcLog)] : files
        let summary: GCLogSummary
        do {
            let progress = Progress(quiet: quiet)
            summary = try GCLogAnalysis.run(paths: paths, progress: progress.say)
        } catch let error as InputError {
            StandardError.say("\(error)")
            throw ExitCode(.inputUnreadable)
        }
        let report: String =
            switch reportOptions.format {
            case .text: GCTextRenderer.render(summary)
            case .json: try JSONRenderer.render(summary)
            }
        try reportOptions.write(report)
        if let reason = summary.withoutCollections {
            StandardError.say(reason)
            throw ExitCode(.nothingRecognised)
        }
        if summary.isPartial { throw ExitCode(.partial) }
    }
}
