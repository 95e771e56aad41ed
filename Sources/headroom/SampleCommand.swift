import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom sample`: sample a process tree (or a workspace's Bazel server) and its cgroup.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample the memory of a process tree, a Bazel server or a cgroup, as JSON lines.",
        discussion: """
            Each line is one self-describing record (a header, then one sample per tick, then an \
            end record with the reason sampling stopped), written as it is taken, so a run that is \
            killed keeps every sample up to its last. Stop with Ctrl-C, --duration or --count; a \
            target that goes away (the process exits, the server is gone, the cgroup is removed) \
            ends sampling cleanly, its samples kept, with the reason in the end record and (unless \
            --quiet) on standard error. Exit status: 0 sampled until one of those stops; 1 writing failed (the \
            samples written before are kept); 3 the target or the output could not be opened; \
            64 usage error.
            """
    )

    @Option(help: "The process to sample (with its descendants unless --no-children).")
    var pid: Int?

    @Option(help: "A Bazel workspace: sample its server (found from the default output base).")
    var workspace: String?

    @Option(name: .customLong("output-base"), help: "A Bazel output base: sample its server (follows restarts).")
    var outputBase: String?

    @Option(help: "A memory cgroup to sample (directory or hierarchy path); by default the target's own.")
    var cgroup: String?

    @Flag(name: .customLong("no-cgroup"), help: "Do not sample a cgroup.")
    var noCgroup = false

    @Flag(name: .customLong("no-children"), help: "Sample the process alone, not its descendants.")
    var noChildren = false

    @Flag(name: .customLong("no-host"), help: "Leave out the host's memory figures.")
    var noHost = false

    @Option(help: "Time between samples (250ms, 1s, …).")
    var interval = DurationArgument(seconds: 0.25)

    @Option(help: "Stop after this long (30s, 5m, …).")
    var duration: DurationArgument?

    @Option(help: "Stop after this many samples.")
    var count: Int?

    @Option(name: .shortAndLong, help: "Write the JSON lines to this file instead of standard output.")
    var output: String?

    @Option(help: "Write a bundle folder (samples.jsonl and bundle.json) instead.")
    var out: String?

    @Flag(help: "Replace an existing --output file or --out bundle.")
    var force = false

    @Flag(help: "No progress or summary on standard error.")
    var quiet = false

    func validate() throws {
        let targets = [pid != nil, workspace != nil, outputBase != nil].filter { $0 }.count
        guard targets <= 1 else { throw ValidationError("give one of --pid, --workspace, --output-base") }
        guard targets == 1 || cgroup != nil else { throw ValidationError("nothing to sample: give --pid, --workspace, --output-base or --cgroup") }
        guard !(noCgroup && cgroup != nil) else { throw ValidationError("--cgroup and --no-cgroup exclude each other") }
        guard output == nil || out == nil else { throw ValidationError("--output and --out exclude each other") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        let target: SampleTarget =
            if let pid { .process(pid: pid) }
            else if let workspace { .bazelServer(BazelServerLocator(workspace: workspace)) }
            else if let outputBase { .bazelServer(BazelServerLocator(outputBase: outputBase)) }
            else { .cgroupOnly }
        let cgroupChoice: CgroupChoice = noCgroup ? .none : (cgroup.map { .path($0) } ?? .automatic)
        let sampler = MemorySampler(target: target, cgroup: cgroupChoice, includeDescendants: !noChildren, includeHost: !noHost)
        do {
            try sampler.prepare()
        } catch {
            StandardError.say("cannot sample: \(error)")
            throw ExitCode(.inputUnreadable)
        }

        let session: SampleSession
        do {
            session = try SampleSession(
                sampler: sampler, destination: out.map { .bundle(folder: $0, replace: force) } ?? .log(path: output ?? "-", overwrite: force))
        } catch {
            StandardError.say("\(error)")
            throw ExitCode(.inputUnreadable)
        }

        let interrupt = InterruptFlag()
        interrupt.install()
        Progress(quiet: quiet).say("sampling \(sampler.targetDescription) every \(interval.seconds) s; Ctrl-C stops")
        let loop = SamplingLoop(intervalSeconds: interval.seconds, durationSeconds: duration?.seconds, maximumSamples: count)
        let outcome = session.run(loop) { interrupt.isRaised }
        if let previous = outcome.placement?.previousKeptAt { StandardError.say("the complete bundle that was at \(out ?? "") is kept at \(previous)") }
        if let failure = outcome.placementFailure {
            StandardError.say(failure)
            throw ExitCode(.partial)
        }
        if case .writeFailed = outcome.stop {
            StandardError.say("\(outcome.stopDescription); \(outcome.samples) samples were written before")
            throw ExitCode(.partial)
        }
        if !quiet {
            var summary = "\(outcome.samples) samples; stopped: \(outcome.stop)"
            if outcome.peakTreeRSS > 0 { summary += "; peak tree RSS \(Formatting.bytes(outcome.peakTreeRSS))" }
            if outcome.peakCgroupUsage > 0 { summary += "; peak cgroup usage \(Formatting.bytes(outcome.peakCgroupUsage))" }
            StandardError.say(summary)
            for note in sampler.notes { StandardError.say(note) }
        }
    }
}
