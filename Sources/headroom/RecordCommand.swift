import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom record -- bazel …`: run a Bazel command and record what its server's memory did.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run a Bazel command with the server's GC log on and its memory sampled; write a bundle.",
        discussion: """
            Runs the command as given, adding a startup option that switches on the server's GC log \
            (which restarts the server; --keep-server leaves startup options alone) and a --profile \
            for Bazel's trace profile, samples the server and its memory cgroup for the whole run, \
            then asks `bazel info` (with the same startup options) for the heap figures. Ctrl-C or \
            --timeout stop the Bazel client cleanly; the bundle is still written, marked incomplete. \
            Exit status: Bazel's own exit status; 3 when the command could not be started or the \
            bundle not written; 130 when interrupted.
            """
    )

    @Option(help: "The bundle folder to write.")
    var out: String = "headroom-record"

    @Flag(help: "Replace an existing bundle folder.")
    var force = false

    @Flag(name: .customLong("keep-server"), help: "Do not change startup options (no GC log; samples and profile only).")
    var keepServer = false

    @Option(help: "Stop the command after this long (30m, 2h, …).")
    var timeout: DurationArgument?

    @Option(help: "Time between memory samples.")
    var interval = DurationArgument(seconds: 0.25)

    @Flag(help: "No progress on standard error (there is none either when it is not a terminal).")
    var quiet = false

    @Argument(parsing: .postTerminator, help: "The Bazel command, after --: bazel [STARTUP…] COMMAND [ARGS…].")
    var command: [String] = []

    func validate() throws {
        guard BazelInvocation(command) != nil else { throw ValidationError("give the Bazel command after --, e.g. -- bazel build //...") }
    }

    func run() throws {
        var settings = BazelRecorder.Settings(invocation: BazelInvocation(command)!, bundleFolder: out)
        settings.replaceBundle = force
        settings.keepServer = keepServer
        settings.timeoutSeconds = timeout?.seconds
        settings.intervalSeconds = interval.seconds
        let progress = Progress(quiet: quiet)
        let recorder = BazelRecorder(settings: settings) { message in
            progress.say(message)
        }
        let interrupt = InterruptFlag()
        interrupt.install()
        let facts: RecordFacts
        do {
            facts = try recorder.run { interrupt.isRaised }
        } catch {
            StandardError.say("\(error)")
            throw ExitCode(3)
        }
        if !quiet {
            var summary = "bundle \(out): \(facts.samples) samples in \(String(format: "%.1f", facts.seconds)) s"
            if let status = facts.exitStatus { summary += "; bazel exited \(status)" }
            if facts.serverInsideScope == false { summary += "; WARNING: the server is outside the measured cgroup (bazel shutdown first)" }
            StandardError.say(summary)
        }
        if facts.interrupted { throw ExitCode(130) }
        if let status = facts.exitStatus, status != 0 { throw ExitCode(status) }
        if facts.exitStatus == nil { throw ExitCode(3) }
    }
}
