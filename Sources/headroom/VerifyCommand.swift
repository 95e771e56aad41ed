import ArgumentParser
import Foundation
import HeadroomKit

/// Report formats of `verify`.
enum VerifyFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// `headroom verify BUNDLE`: run the recorded command again under the plan, in a fresh memory
/// cgroup, and say whether the plan holds.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a plan: re-run the recorded command with its options in a fresh memory cgroup of its MemoryMax.",
        discussion: """
            Takes the plan from analysing BUNDLE (a `headroom record` bundle), or the options of a \
            .bazelrc fragment (--fragment) with the cgroup's size from --memory-max (or the plan). \
            Stops the Bazel server (bazel shutdown with the same startup options), then runs the \
            command after -- or the bundle's, with the plan's startup and command options, \
            recorded like `headroom record` into --out, inside a new memory cgroup (cgroup v1: \
            memory.limit_in_bytes and memsw at the same value; v2: memory.max, memory.high, \
            memory.swap.max=0; made by systemd-run --scope when systemd is PID 1, else directly, \
            which needs root). `bazel test` gets --nocache_test_results. Confirmed: the command \
            ends as the original did, with no kernel OOM kill in the cgroup, no Bazel OOM (exit 33), \
            GC time at most --tolerance-gc above the original's and wall time at most \
            --tolerance-wall times it (+2 s). Too tight: a kill, exit 33 or thrashing; the limit is \
            then corrected to max(+100 MiB, ×1.2) of what the run reached (and the heap so after \
            exit 33) and verified again, each correction from the run just made, until a run passes, \
            --max-tries runs were made (default 5, the plan's included) or the next limit would be \
            above --memory-max-ceiling (default 90 % of RAM; the ceiling itself is tried once); \
            --no-retry runs the plan only. --search goes on to the smallest MemoryMax that passes: \
            down from a passing run (halving, never below the highest peak a passing run measured) \
            and bisecting between the largest failing and the smallest passing limit until they are \
            within 64 MiB or 5 % (default --max-tries 8); it recommends the smallest passing limit \
            × 1.15, rounded up to 64 MiB. Every run is a row of the report; the verdict is the \
            plan's own run's, and the limit that passed after a too-tight plan is given as the \
            corrected plan. Each run's bundle goes in --out (the plan's), --out/corrected, \
            corrected-2, … and search-1, …; verify.json is written in --out. \
            A bundle is data: its recorded command runs only if its first word is bazel or \
            bazelisk, and then that name is looked up on this machine's PATH (or --bazel is run \
            instead); only allowlisted options are replayed (startup: memory, collector, GC logging \
            to the terminal, output folders; command: build, test, coverage and the query commands \
            with options such as --jobs, --config, --keep_going); the rest is dropped and listed, \
            and a bundle recorded on another host or by another user with such options is refused \
            unless --trust-bundle is given. A --fragment's options pass the same allowlists \
            (--trust-bundle applies the rest). Before running anything verify prints every command \
            line it will run. \
            Exit status: 0 confirmed; 20 too tight; 21 inconclusive (the command failed otherwise); \
            3 unreadable input, an existing --out without --force, or Bazel could not be run; 4 no memory cgroup could be made \
            (not root, no memory controller); 5 refused: the bundle named a program other than \
            Bazel, a command other than those above, or (recorded elsewhere) options beyond the \
            allowlists; 64 usage error; 130 interrupted.
            """
    )

    @Argument(help: "The bundle of the original run (headroom record).")
    var bundle: String

    @Option(help: "A .bazelrc fragment whose options to verify instead of the analysis plan's.")
    var fragment: String?

    @Option(name: .customLong("memory-max"), help: "The cgroup's MemoryMax (2g, 1536m, …) instead of the plan's.")
    var memoryMax: String?

    @Option(help: "The bundle folder to write (later runs go in its 'corrected', 'corrected-2', … and 'search-1', … folders).")
    var out = "headroom-verify"

    @Flag(help: "Replace an existing bundle folder and --output file.")
    var force = false

    @Option(help: "The workspace to run in (default: the current folder).")
    var workspace: String?

    @Option(help: "Stop a run after this long (30m, 2h, …).")
    var timeout: DurationArgument?

    @Option(name: .customLong("tolerance-gc"), help: "How many fraction points GC time may rise above the original's.")
    var toleranceGC = 0.05

    @Option(name: .customLong("tolerance-wall"), help: "How many times the original's wall time a run may take (+2 s).")
    var toleranceWall = 1.5

    @Flag(help: "Run bazel clean first, so that the build's actions run again.")
    var clean = false

    @Flag(name: .customLong("no-retry"), help: "Run the plan only: do not verify corrected limits after a too-tight run.")
    var noRetry = false

    @Flag(help: "Search for the smallest MemoryMax that passes, and recommend it × 1.15.")
    var search = false

    @Option(name: .customLong("max-tries"), help: ArgumentHelp("Runs in all, the plan's included (default 5; 8 with --search).", valueName: "n"))
    var maxTries: Int?

    @Option(name: .customLong("memory-max-ceiling"), help: ArgumentHelp("Never try a MemoryMax above this (default: 90 % of RAM).", valueName: "size"))
    var memoryMaxCeiling: String?

    @Option(help: "Time between memory samples.")
    var interval = DurationArgument(seconds: 0.25)

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Option(help: ArgumentHelp("Output format: text, json, markdown.", valueName: "format"))
    var format: VerifyFormat = .text

    @Option(name: .shortAndLong, help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: ArgumentHelp("The Bazel (or Bazelisk) program to run, instead of the one named bazel or bazelisk on PATH.", valueName: "path"))
    var bazel: String?

    @Flag(name: .customLong("trust-bundle"), help: "Replay the bundle's recorded options, and apply a --fragment's, beyond the allowlists too (never the bundle's program).")
    var trustBundle = false

    @Argument(parsing: .postTerminator, help: "The Bazel command, after -- (default: the bundle's recorded command, as far as it may be replayed).")
    var command: [String] = []

    func validate() throws {
        if let memoryMax, (JVMSize.bytes(memoryMax) ?? 0) < 1 << 20 {
            throw ValidationError("--memory-max takes a size of at least 1m, such as 2g or 1536m")
        }
        if let memoryMaxCeiling, (JVMSize.bytes(memoryMaxCeiling) ?? 0) < 1 << 20 {
            throw ValidationError("--memory-max-ceiling takes a size of at least 1m, such as 8g")
        }
        if let maxTries, maxTries < 1 { throw ValidationError("--max-tries takes a number of runs of at least 1") }
        if search, noRetry { throw ValidationError("--search makes several runs; --no-retry makes one: give one of them") }
        guard toleranceGC >= 0, toleranceGC < 1 else { throw ValidationError("--tolerance-gc takes a fraction between 0 and 1, such as 0.05") }
        guard toleranceWall >= 1 else { throw ValidationError("--tolerance-wall takes a factor of at least 1, such as 1.5") }
        if !command.isEmpty, BazelInvocation(command) == nil {
            throw ValidationError("give the Bazel command after --, e.g. -- bazel test //...")
        }
    }

    func run() throws {
        guard KernelPaths.isDirectory(bundle) else {
            StandardError.say("\(bundle): no such bundle folder")
            throw ExitCode(.inputUnreadable)
        }
        let selection: VerifyPlanSelection.Selection
        do {
            selection = try VerifyPlanSelection.select(bundle: bundle, fragment: fragment, memoryMax: memoryMax, trustFragment: trustBundle) {
                StandardError.say($0)
            }
        } catch {
            StandardError.say(error.reason)
            throw ExitCode(error.kind == .noMemoryMax ? .usage : .inputUnreadable)
        }
        var notes = selection.notes
        if !force, FileManager.default.fileExists(atPath: out) {
            StandardError.say("\(out) exists: give --force to replace it, or another --out")
            throw ExitCode(.inputUnreadable)
        }
        let replayed = try replayedCommand()
        if !replayed.dropped.isEmpty {
            let dropped = "not replayed from the bundle (not on verify's allowlists; --trust-bundle replays them): " + replayed.dropped.map(ShellQuoting.quote).joined(separator: " ")
            StandardError.say(dropped)
            notes.append(dropped)
        }
        if !replayed.trusted.isEmpty {
            notes.append("replayed from the bundle by --trust-bundle: " + replayed.trusted.map(ShellQuoting.quote).joined(separator: " "))
        }

        var runnerSettings = VerifyRunner.Settings(
            originalBundle: bundle, plan: selection.plan, invocation: replayed.invocation, outFolder: out,
            helper: Self.ownExecutable())
        runnerSettings.replace = force
        runnerSettings.workingDirectory = workspace
        runnerSettings.timeoutSeconds = timeout?.seconds
        runnerSettings.intervalSeconds = interval.seconds
        runnerSettings.tolerance = VerifyReport.Tolerance(gcFraction: toleranceGC, wallFactor: toleranceWall)
        runnerSettings.clean = clean
        runnerSettings.retry = !noRetry
        runnerSettings.mode = search ? .search : .converge
        runnerSettings.maxTries = maxTries
        runnerSettings.memoryMaxCeiling = memoryMaxCeiling.flatMap(JVMSize.bytes)
        runnerSettings.notes = notes
        let progress = Progress(quiet: quiet)
        let runner = VerifyRunner(settings: runnerSettings) { progress.say($0) }
        // Said even with --quiet: what is about to run, as root, is not progress.
        StandardError.say("will run, each in turn (record adds its GC log and profile options):")
        for line in runner.commandLines { StandardError.say("  " + ShellQuoting.line(line)) }
        let interrupt = InterruptFlag()
        interrupt.install()
        let report: VerifyReport
        do {
            report = try runner
                .run(generatedAt: ISOTime.now()) { interrupt.isRaised }
        } catch {
            StandardError.say(error.description)
            throw ExitCode(error.kind == .cgroup ? .cgroupUnavailable : .inputUnreadable)
        }
        let text: String
        switch format {
        case .text: text = VerifyRenderer.text(report)
        case .json: text = try JSONRenderer.render(report)
        case .markdown: text = VerifyRenderer.markdown(report)
        }
        try OutputWriter.write(text, to: output, force: force)
        if interrupt.isRaised { throw ExitCode(.interrupted) }
        if report.verdict != .confirmed { throw ExitCode(report.verdict.exitStatus) }
    }

    /// The command to run: the one after --, else the bundle's as far as it may be replayed.
    func replayedCommand() throws -> ReplayedCommand {
        let choice = ReplayedCommand.Choice(bazel: bazel, trustBundle: trustBundle, searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        if let given = ReplayedCommand.fromUser(command, choice: choice) { return given }
        let file = bundle + "/record.json"
        let data = FileManager.default.contents(atPath: file)
        guard let data, let facts = try? JSONDecoder().decode(RecordFacts.self, from: data) else {
            StandardError.say("\(file): no recorded command to run; give one after --")
            throw ExitCode(.inputUnreadable)
        }
        let manifest = (try? BundleReader.read(bundle))?.manifest ?? BundleManifest()
        do {
            return try ReplayedCommand.fromBundle(facts.requestedCommand, file: file, provenance: .of(manifest), choice: choice)
        } catch {
            StandardError.say(error.reason)
            switch error.kind {
            case .notBazel, .beyondAllowlist: throw ExitCode(.refusedUntrustedCommand)
            case .noCommand, .bazelMissing: throw ExitCode(.inputUnreadable)
            }
        }
    }

    /// This program's own path, for the `__exec-in-cgroup` helper.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// `headroom __exec-in-cgroup DIR -- COMMAND…`: joins the cgroup DIR, then becomes COMMAND, so
/// that COMMAND and all it starts are inside from the first instruction. Internal to verify.
struct ExecInCgroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__exec-in-cgroup", abstract: "Internal: join a cgroup, then exec a command.", shouldDisplay: false)

    @Argument(help: "The cgroup directory.")
    var directory: String

    @Argument(parsing: .postTerminator, help: "The command.")
    var command: [String] = []

    func run() throws {
        let reason = FreshMemoryCgroup.execInside(directory: directory, words: command)
        StandardError.say(reason)
        throw ExitCode(.commandNotFound)
    }
}

/// A folder test that does not follow Foundation's notion of a bundle.
enum KernelPaths {
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
