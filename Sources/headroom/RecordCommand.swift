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
            then asks `bazel info` (with the same startup options) for the heap figures. As root \
            (cgroup v1 or v2) the client runs in a fresh memory cgroup without a limit, so the \
            server it starts and the tests are born inside and the cgroup's peak, events and OOM \
            kills are the command's alone (--no-own-cgroup runs it where record runs; so does \
            --keep-server, as the running server stays where it is); record.json says whether the \
            cgroup was the command's own, and when it was shared the tests' memory is taken from \
            the server's process tree. \
            Ctrl-C or \
            --timeout stop the Bazel client cleanly (SIGINT, then SIGKILL to what is left of its \
            process tree after 10 s); the bundle is still written, marked incomplete, as it is when \
            the server dies during the command or a file cannot be written. The bundle is written \
            in a hidden folder beside --out and moved into place at the end: with --force, an \
            existing bundle is only replaced then, and a complete one is kept as OUT.previous when \
            the new one is incomplete. \
            Exit status: Bazel's own exit status (37 when its server died); 3 when the command \
            could not be started or the bundle not written in full; 124 when --timeout stopped \
            the command; 128+N when the Bazel client was ended by signal N; 130 when interrupted.
            """
    )

    @Option(help: "The bundle folder to write.")
    var out: String = "headroom-record"

    @Flag(help: "Replace an existing bundle folder.")
    var force = false

    @Flag(name: .customLong("keep-server"), help: "Do not change startup options (no GC log; samples and profile only).")
    var keepServer = false

    @Flag(name: .customLong("no-own-cgroup"), help: "Run the command in record's own cgroup rather than a fresh memory cgroup of its own.")
    var noOwnCgroup = false

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
        // First: a Ctrl-C from here on stops the recording cleanly, at whatever stage it is.
        let interrupt = InterruptFlag()
        interrupt.install()
        var settings = BazelRecorder.Settings(invocation: BazelInvocation(command)!, bundleFolder: out)
        settings.replaceBundle = force
        settings.keepServer = keepServer
        settings.ownCgroup = !noOwnCgroup
        settings.helper = VerifyCommand.ownExecutable()
        settings.timeoutSeconds = timeout?.seconds
        settings.intervalSeconds = interval.seconds
        let progress = Progress(quiet: quiet)
        let recorder = BazelRecorder(settings: settings) { message in
            progress.say(message)
        }
        let facts: RecordFacts
        do {
            facts = try recorder.run { interrupt.isRaised }
        } catch let failure as BazelRecorder.Failure {
            StandardError.say("recording failed: \(failure.reason)")
            if let placement = failure.placement { StandardError.say(Self.describe(placement)) }
            throw ExitCode(interrupt.isRaised ? .interrupted : .inputUnreadable)
        } catch {
            StandardError.say("\(error)")
            throw ExitCode(interrupt.isRaised ? .interrupted : .inputUnreadable)
        }
        let placement = recorder.placement
        if !quiet || placement?.complete == false {
            var summary = "bundle \(out): \(facts.samples) samples in \(String(format: "%.1f", facts.seconds)) s"
            if let status = facts.exitStatus { summary += "; bazel exited \(status)" }
            if let signal = facts.signal { summary += "; the bazel client was ended by signal \(signal)" }
            if facts.interrupted { summary += "; interrupted" }
            if facts.timedOut { summary += "; timed out" }
            if facts.serverDied == true { summary += "; the Bazel server died during the command" }
            if facts.serverInsideScope == false { summary += "; WARNING: the server is outside the measured cgroup (bazel shutdown first)" }
            StandardError.say(summary)
            if let placement { StandardError.say(Self.describe(placement)) }
        }
        if facts.interrupted { throw ExitCode(.interrupted) }
        if facts.timedOut { throw ExitCode(.timedOut) }
        if let status = facts.exitStatus, status != 0 { throw ExitCode(status) }
        if let signal = facts.signal { throw ExitCode(128 + signal) }
        if facts.exitStatus == nil { throw ExitCode(.inputUnreadable) }
    }

    /// Whether the bundle is complete, and where a complete old one was kept.
    static func describe(_ placement: BundleWriter.Placement) -> String {
        var text = "bundle \(placement.path) is \(placement.complete ? "complete" : "incomplete (cut short)")"
        if let previous = placement.previousKeptAt { text += "; the complete bundle that was there is kept at \(previous)" }
        return text
    }
}
