import Foundation
import Synchronization

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

        public init(invocation: BazelInvocation, bundleFolder: String) {
            self.invocation = invocation
            self.bundleFolder = bundleFolder
        }
    }

    /// The `bazel info` keys recorded after the command (the hidden ones must be named).
    public static let infoKeys = [
        "release", "output_base", "server_pid", "used-heap-size", "used-heap-size-after-gc", "committed-heap-size",
        "max-heap-size", "peak-heap-size", "gc-count", "gc-time",
    ]

    public let settings: Settings
    private let say: (String) -> Void

    public init(settings: Settings, progress: @escaping (String) -> Void) {
        self.settings = settings
        say = progress
    }

    /// Runs the command and writes the bundle; the bundle is marked incomplete when the command
    /// was interrupted or timed out, or the server could not be followed.
    public func run(interrupted: @escaping @Sendable () -> Bool) throws -> RecordFacts {
        let bundle = try BundleWriter(folder: settings.bundleFolder, replace: settings.replaceBundle)
        let startedAt = ISOTime.format(epochSeconds: SamplingLoop.wallSeconds())
        let folder = URL(fileURLWithPath: settings.bundleFolder).standardizedFileURL.path
        var invocation = settings.invocation
        var facts = RecordFacts(requestedCommand: invocation.words, command: [])
        if !settings.keepServer {
            let option = "--host_jvm_args=-Xlog:gc*:file=\(folder)/gc.log:time,uptime,level,tags:filecount=10,filesize=50m"
            invocation.startupOptions.append(option)
            facts.addedStartupOptions.append(option)
            say("adding a startup option (the server's GC log) restarts the Bazel server; --keep-server records without it")
        }
        if !invocation.hasArgument("--profile") {
            let profile = "--profile=\(folder)/command.profile.gz"
            invocation.arguments.insert(profile, at: 0)
            facts.addedArguments.append(profile)
        }
        facts.command = invocation.words

        // Start (or find) the server with the startup options the command will use.
        let outputBase = try queryOutputBase(invocation, bundle: bundle)
        facts.outputBase = outputBase

        let stopSampling = Atomic<Bool>(false)
        let sampler = MemorySampler(target: .bazelServer(BazelServerLocator(outputBase: outputBase)))
        let samplerThread = SamplerThread(sampler: sampler, path: bundle.path(of: "samples.jsonl"), interval: settings.intervalSeconds) {
            stopSampling.load(ordering: .relaxed) || interrupted()
        }
        bundle.add("samples.jsonl", kind: .samples, description: "the Bazel server and its memory cgroup during the command")
        samplerThread.start()

        say("running: \(invocation.words.joined(separator: " "))")
        let outcome = try CommandRunner.run(
            settings.launcher + invocation.words, outputPath: bundle.path(of: "command-output.txt"), workingDirectory: settings.workingDirectory,
            timeoutSeconds: settings.timeoutSeconds, interrupted: interrupted)
        bundle.add("command-output.txt", kind: .commandOutput, description: "the Bazel client's output")
        stopSampling.store(true, ordering: .relaxed)
        let sampled = samplerThread.join()
        facts.samples = sampled.samples
        facts.exitStatus = outcome.exitStatus
        facts.signal = outcome.signal
        facts.interrupted = outcome.interrupted
        facts.timedOut = outcome.timedOut
        facts.seconds = outcome.seconds

        if !outcome.interrupted {
            facts.bazelInfo = (try? queryInfo(invocation, bundle: bundle)) ?? [:]
        }
        describeServer(outputBase: outputBase, into: &facts)
        if !outcome.interrupted {
            // Which Bazel this was, and for a build that names no release, the flags it has.
            let identity = BazelIdentity.probe(
                binary: invocation.binary, startupOptions: invocation.startupOptions, workingDirectory: settings.workingDirectory)
            facts.bazelVersion = identity.versionText
            if let data = try? JSONEncoder().encode(identity) {
                try AtomicFile.write(data, to: bundle.path(of: "bazel-identity.json"), overwrite: true)
                bundle.add("bazel-identity.json", kind: .other, description: "bazel --version and, when it names no release, its flags")
            }
        }
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where name.hasPrefix("gc.log") {
            bundle.add(name, kind: .gcLog)
        }
        if FileManager.default.fileExists(atPath: bundle.path(of: "command.profile.gz")) {
            bundle.add("command.profile.gz", kind: .traceProfile)
        }
        try AtomicFile.write(Data(try JSONRenderer.render(facts).utf8), to: bundle.path(of: "record.json"), overwrite: true)
        bundle.add("record.json", kind: .other, description: "how the command ended, the server's JVM flags and scope")
        bundle.update { manifest in
            manifest.command = facts.requestedCommand
            manifest.startedAt = startedAt
            manifest.endedAt = ISOTime.format(epochSeconds: SamplingLoop.wallSeconds())
            manifest.exitStatus = outcome.exitStatus
            // The loop reports "interrupted" when it is stopped; here that is the command ending.
            let samplingEnd = sampled.stop == .interrupted && !outcome.interrupted ? "the command ended" : "\(sampled.stop)"
            manifest.notes = sampler.notes + ["sampling stopped: \(samplingEnd)"]
            if outcome.interrupted { manifest.notes.append("interrupted: the Bazel client was sent SIGINT") }
            if outcome.timedOut { manifest.notes.append("timed out after \(Int(settings.timeoutSeconds ?? 0)) s: the Bazel client was stopped") }
            if facts.serverInsideScope == false {
                manifest.notes.append("the Bazel server is outside the measured cgroup (\(facts.serverCgroup ?? "?") vs \(facts.recorderCgroup ?? "?")): it was started before the scope; run bazel shutdown first")
            }
        }
        try bundle.close(complete: !outcome.interrupted && !outcome.timedOut)
        return facts
    }

    /// `bazel info output_base` with the command's startup options (this starts the server).
    private func queryOutputBase(_ invocation: BazelInvocation, bundle: BundleWriter) throws -> String {
        let info = try queryInfo(invocation, keys: ["output_base"], bundle: bundle, file: "bazel-info-output-base.txt")
        guard let outputBase = info["output_base"] ?? info["value"], !outputBase.isEmpty else {
            throw CommandRunner.LaunchError(program: invocation.binary, reason: "bazel info output_base printed nothing (see \(bundle.path(of: "bazel-info-output-base.err")))")
        }
        return outputBase
    }

    private func queryInfo(
        _ invocation: BazelInvocation, keys: [String] = BazelRecorder.infoKeys, bundle: BundleWriter, file: String = "bazel-info.txt"
    ) throws -> [String: String] {
        let words = settings.launcher + invocation.sibling("info", keys).words
        let errorFile = (file as NSString).deletingPathExtension + ".err"
        let outcome = try CommandRunner.run(
            words, outputPath: bundle.path(of: file), errorPath: bundle.path(of: errorFile),
            workingDirectory: settings.workingDirectory, timeoutSeconds: 600)
        let text = (try? String(contentsOfFile: bundle.path(of: file), encoding: .utf8)) ?? ""
        bundle.add(file, kind: .other, description: "bazel info, with the command's startup options")
        // Keep what bazel info said on standard error only when it said something, and list it.
        let errors = bundle.path(of: errorFile)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: errors), (attributes[.size] as? NSNumber)?.intValue == 0 {
            try? FileManager.default.removeItem(atPath: errors)
        } else {
            bundle.add(errorFile, kind: .commandOutput, description: "what bazel info wrote to standard error")
        }
        guard outcome.exitStatus == 0 else { return [:] }
        return Self.parseInfo(text, keys: keys)
    }

    /// `key: value` lines; a single key prints its value alone.
    static func parseInfo(_ text: String, keys: [String]) -> [String: String] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        if keys.count == 1, let only = lines.first, !only.contains(": ") { return [keys[0]: only] }
        var values: [String: String] = [:]
        for line in lines {
            guard let separator = line.range(of: ": ") else { continue }
            values[String(line[..<separator.lowerBound])] = String(line[separator.upperBound...])
        }
        return values
    }

    /// The server's PID, real command line and memory cgroup, against the recorder's own cgroup.
    private func describeServer(outputBase: String, into facts: inout RecordFacts) {
        guard let pid = BazelServerLocator(outputBase: outputBase).serverPID() ?? facts.bazelInfo["server_pid"].flatMap(Int.init) else { return }
        facts.serverPID = pid
        if let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
            facts.serverCommandLine = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        // The same rule the sampler follows to pick a process's memory cgroup.
        let locator = CgroupLocator()
        facts.serverCgroup = locator.locate(pid: pid)?.path
        facts.recorderCgroup = settings.scopeCgroup ?? locator.locate(pid: Int(getpid()))?.path
        if let server = facts.serverCgroup, let recorder = facts.recorderCgroup {
            // Inside when the server's cgroup is the scope or below it.
            facts.serverInsideScope = server == recorder || server.hasPrefix(recorder == "/" ? "/" : recorder + "/")
        }
    }
}
