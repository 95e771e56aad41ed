import Foundation
import Synchronization
import HeadroomStore

/// Records one Bazel command into a bundle: the server's GC log, memory samples of the server
/// and its cgroup for the whole run, the command's output, `bazel info` and the facts of the run.
///
/// Adding the GC-log startup option restarts the server (any change of startup options does);
/// `keepServer` records without touching startup options, so the samples and the trace profile
/// are all the bundle gets. Every `bazel info` runs with the command's own startup options, or
/// it would restart the server again.
public final class BazelRecorder {
    /// What to record and how.
    public struct Settings: Sendable {
        public var invocation: BazelInvocation
        public var bundleFolder: String
        public var replaceBundle = false
        public var keepServer = false
        public var timeoutSeconds: Double?
        public var intervalSeconds = 0.25
        public var workingDirectory: String?
        /// Words put before every Bazel command that may start the server (`headroom
        /// __exec-in-cgroup DIR --`): the client and the server it starts run where they say.
        public var launcher: [String] = []
        /// The cgroup the launcher puts the commands in, as the measured scope; nil: the recorder's own.
        public var scopeCgroup: String?
        /// Run the command in a fresh memory cgroup of its own, without a limit, when one can be
        /// made (and `helper` is given): its peak and OOM counters are then the command's alone.
        public var ownCgroup = true
        /// The `headroom` binary, whose `__exec-in-cgroup` puts the client in that cgroup.
        public var helper: String?

        public init(invocation: BazelInvocation, bundleFolder: String) {
            self.invocation = invocation
            self.bundleFolder = bundleFolder
        }
    }

    /// Why a recording could not be finished. The bundle was still closed, marked incomplete,
    /// with what had been written (`placement`, nil when even that failed).
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var placement: BundleWriter.Placement?
        public var description: String { reason }
    }

    /// The `bazel info` keys recorded after the command (the hidden ones must be named).
    public static let infoKeys = [
        "release", "output_base", "server_pid", "used-heap-size", "used-heap-size-after-gc", "committed-heap-size",
        "max-heap-size", "peak-heap-size", "gc-count", "gc-time",
    ]

    public let settings: Settings
    /// Where the bundle ended up, once `run` has closed it.
    public private(set) var placement: BundleWriter.Placement?
    private let say: (String) -> Void
    /// The words before every command that may start the server: verify's, or those of the cgroup record made.
    private var launcher: [String] = []
    private var scopeCgroup: String?
    private var info: BazelInfoQuery { BazelInfoQuery(launcher: launcher, workingDirectory: settings.workingDirectory) }

    public init(settings: Settings, progress: @escaping (String) -> Void) {
        self.settings = settings
        say = progress
    }

    /// Runs the command and writes the bundle. The bundle is marked incomplete — with a note
    /// saying why — when the recording was interrupted at any stage (`RecordFacts.interrupted`),
    /// the command timed out, the server died during it, or a file could not be written; a
    /// failed write is thrown as a `Failure` after the bundle has been closed.
    public func run(interrupted: @escaping @Sendable () -> Bool) throws -> RecordFacts {
        let bundle = try BundleWriter(folder: settings.bundleFolder, replace: settings.replaceBundle)
        var recording = Recording(bundle: bundle, requestedCommand: settings.invocation.words)
        do {
            try record(into: &recording, interrupted: interrupted)
            if interrupted(), !recording.facts.interrupted {
                recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM) while finishing the bundle")
            }
            try recording.writeFacts()
            placement = try recording.close()
            return recording.facts
        } catch {
            // What was written stays, marked incomplete; the error names the destination's paths.
            let reason = bundle.describingDestination("\(error)")
            recording.stop(.failed, "the recording could not be finished: \(reason)")
            try? recording.writeFacts()
            placement = (try? recording.close()) ?? bundle.placement
            throw Failure(reason: reason, placement: placement)
        }
    }

    private func record(into recording: inout Recording, interrupted: @escaping @Sendable () -> Bool) throws {
        let bundle = recording.bundle
        var invocation = settings.invocation
        if !settings.keepServer {
            // The working folder is renamed into place at the end: the JVM keeps its open file.
            let option = "--host_jvm_args=-Xlog:gc*:file=\(bundle.workingFolder)/gc.log:time,uptime,level,tags:filecount=10,filesize=50m"
            invocation.startupOptions.append(option)
            recording.facts.addedStartupOptions.append(option)
            say("adding a startup option (the server's GC log) restarts the Bazel server; --keep-server records without it")
        }
        if !invocation.hasArgument("--profile") {
            let profile = "--profile=\(bundle.workingFolder)/command.profile.gz"
            invocation.arguments.insert(profile, at: 0)
            recording.facts.addedArguments.append(profile)
        }
        recording.facts.command = invocation.words
        guard !interrupted() else { return recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM) before the command started") }

        // The cgroup, before anything can start the server: the server is born where the client runs.
        var cgroup = RecordCgroup.choose(settings, say: say)
        defer { cgroup.release() }
        launcher = cgroup.launcher
        scopeCgroup = cgroup.scope
        recording.facts.cgroup = cgroup.facts

        // Start (or find) the server with the startup options the command will use.
        let outputBaseAnswer = try info.ask(invocation, keys: ["output_base"], bundle: bundle, file: "bazel-info-output-base.txt", interrupted: interrupted)
        guard !outputBaseAnswer.interrupted else {
            return recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM) while starting the Bazel server (bazel info output_base)")
        }
        guard let outputBase = outputBaseAnswer.values["output_base"], !outputBase.isEmpty else {
            throw CommandRunner.LaunchError(
                program: invocation.binary,
                reason: "bazel info output_base printed nothing (see \(bundle.describingDestination(bundle.path(of: "bazel-info-output-base.err"))))")
        }
        recording.facts.outputBase = outputBase
        let server = BazelServerLocator(outputBase: outputBase)
        let serverAtStart = server.serverPID()
        if let serverAtStart { describeServer(serverAtStart, into: &recording.facts) }

        let stopSampling = Atomic<Bool>(false)
        let sampler = MemorySampler(target: .bazelServer(server))
        let samplerThread = SamplerThread(sampler: sampler, path: bundle.path(of: "samples.jsonl"), interval: settings.intervalSeconds) {
            stopSampling.load(ordering: .relaxed) || interrupted()
        }
        bundle.add("samples.jsonl", kind: .samples, description: "the Bazel server and its memory cgroup during the command")
        samplerThread.start()

        say("running: \(invocation.words.joined(separator: " "))")
        let outcome: CommandRunner.Outcome
        do {
            outcome = try CommandRunner.run(
                launcher + invocation.words, outputPath: bundle.path(of: "command-output.txt"), workingDirectory: settings.workingDirectory,
                timeoutSeconds: settings.timeoutSeconds, interrupted: interrupted)
        } catch {
            stopSampling.store(true, ordering: .relaxed)
            _ = samplerThread.join()
            throw error
        }
        bundle.add("command-output.txt", kind: .commandOutput, description: "the Bazel client's output")
        stopSampling.store(true, ordering: .relaxed)
        let sampled = samplerThread.join()
        recording.facts.samples = sampled.samples
        cgroup.readBack(serverCgroup: recording.facts.serverCgroup)
        recording.facts.cgroup = cgroup.facts
        if !cgroup.facts.own { recording.notes.append("the memory cgroup was not the command's own: \(cgroup.facts.reason)") }
        recording.facts.exitStatus = outcome.exitStatus
        recording.facts.signal = outcome.signal
        recording.facts.timedOut = outcome.timedOut
        recording.facts.seconds = outcome.seconds
        recording.notes += sampler.notes
        // The loop reports "interrupted" when it is stopped; here that is the command ending.
        recording.notes.append("sampling stopped: \(sampled.stop == .interrupted && !outcome.interrupted ? "the command ended" : "\(sampled.stop)")")
        if case .writeFailed = sampled.stop { recording.stop(.failed, "the samples could not all be written") }
        if outcome.interrupted { recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM): the Bazel client was sent SIGINT") }
        if outcome.timedOut {
            recording.stop(.timedOut, "timed out after \(Formatting.duration(seconds: settings.timeoutSeconds ?? 0)): the command was stopped (SIGINT, then SIGKILL to what was left of its process tree)")
        }

        // A server that died with the command (killed, crashed) is gone: `bazel info` would start
        // a new one and report its empty heap as this run's.
        let serverAfter = server.serverPID()
        if let serverAtStart, serverAfter != serverAtStart {
            recording.facts.serverDied = true
            let after = serverAfter.map { "a new server (PID \($0)) runs in its place" } ?? "no server runs"
            recording.stop(.serverDied, "the Bazel server (PID \(serverAtStart)) vanished during the command (killed or crashed; \(after)): bazel info was not asked, and its GC log ends where it died")
        }
        guard !recording.facts.interrupted, recording.facts.serverDied != true else { return }

        let answer = try info.ask(invocation, keys: Self.infoKeys, bundle: bundle, file: "bazel-info.txt", interrupted: interrupted)
        recording.facts.bazelInfo = answer.values
        guard !answer.interrupted else { return recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM) during bazel info after the command") }
        if let serverAtStart { Self.readResidency(of: serverAtStart, into: &recording.facts) }

        // Which Bazel this was, and for a build that names no release, the flags it has.
        let identity = BazelIdentity.probe(
            binary: invocation.binary, startupOptions: invocation.startupOptions, workingDirectory: settings.workingDirectory, interrupted: interrupted)
        guard !interrupted() else { return recording.stop(.interrupted, "interrupted (Ctrl-C or SIGTERM) while finishing the bundle (asking bazel what it is)") }
        recording.facts.bazelVersion = identity.versionText
        try AtomicFile.write(try JSONEncoder().encode(identity), to: bundle.path(of: "bazel-identity.json"), overwrite: true)
        bundle.add("bazel-identity.json", kind: .other, description: "bazel --version and, when it names no release, its flags")
    }

    /// The server's resident memory and resident heap from its smaps: the heap's size is the
    /// server's own `-Xmx` (exact), else `bazel info max-heap-size`.
    private static func readResidency(of pid: Int, into facts: inout RecordFacts) {
        let xmx = facts.serverCommandLine?.last { $0.hasPrefix("-Xmx") }.flatMap { JVMSize.bytes(String($0.dropFirst(4))) }
        let maxHeap = xmx ?? BazelInfoSize.bytes(facts.bazelInfo["max-heap-size"])
        // smaps comes a page per read, so it is read to its end, not to the first short read.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/smaps"), let data = try? handle.readToEnd(),
            let smaps = ProcessSmaps([UInt8](data), maxHeapBytes: maxHeap)
        else { return }
        facts.serverResidentBytes = smaps.residentBytes
        facts.serverResidentHeapBytes = smaps.residentHeapBytes
    }

    /// The server's PID, real command line and memory cgroup, against the recorder's own cgroup.
    private func describeServer(_ pid: Int, into facts: inout RecordFacts) {
        facts.serverPID = pid
        if let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
            facts.serverCommandLine = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        // The same rule the sampler follows to pick a process's memory cgroup.
        let locator = CgroupLocator()
        facts.serverCgroup = locator.locate(pid: pid)?.path
        facts.recorderCgroup = scopeCgroup ?? locator.locate(pid: Int(getpid()))?.path
        if let server = facts.serverCgroup, let recorder = facts.recorderCgroup {
            // Inside when the server's cgroup is the scope or below it.
            facts.serverInsideScope = server == recorder || server.hasPrefix(recorder == "/" ? "/" : recorder + "/")
        }
    }
}
