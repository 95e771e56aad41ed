import Foundation
import HeadroomStore

/// Proves a plan: stops the Bazel server, runs the recorded command again with the plan's options
/// inside a fresh memory cgroup with the plan's limits, records it like `headroom record`, and
/// judges it against the original. A too-tight run is corrected (max(+100 MiB, ×1.2) of what it
/// reached, as the Kubernetes VPA recommender does after an OOM) and run again until a run passes
/// or the tries or the ceiling run out; with `--search`, `VerifySearch` then bisects down to the
/// smallest limit that passes. Every run is a row of the report.
public final class VerifyRunner {
    /// What to verify and how.
    public struct Settings: Sendable {
        public var originalBundle: String
        public var plan: VerifyPlan
        /// The command as the user gave it (without the plan's options).
        public var invocation: BazelInvocation
        public var outFolder: String
        public var replace = false
        public var workingDirectory: String?
        public var timeoutSeconds: Double?
        public var intervalSeconds = 0.25
        public var tolerance = VerifyReport.Tolerance()
        /// The `headroom` binary, whose `__exec-in-cgroup` puts a command in the cgroup before it execs.
        public var helper: String
        /// `bazel clean` first, so that the build's actions run again rather than come from the cache.
        public var clean = false
        /// Run again after the plan's run (false: `--no-retry`, one run only).
        public var retry = true
        /// Converge on a passing limit, or search for the smallest.
        public var mode = VerifySearch.Mode.converge
        /// Runs in all (nil: the mode's default).
        public var maxTries: Int?
        /// No corrected limit above this (nil: 90 % of host RAM).
        public var memoryMaxCeiling: Int64?
        public var useSystemd = FreshMemoryCgroup.systemdManagesCgroups
        public var notes: [String] = []

        public init(originalBundle: String, plan: VerifyPlan, invocation: BazelInvocation, outFolder: String, helper: String) {
            self.originalBundle = originalBundle
            self.plan = plan
            self.invocation = invocation
            self.outFolder = outFolder
            self.helper = helper
        }
    }

    /// Why a verification could not be run at all.
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable { case input, cgroup, launch }
        public var kind: Kind
        public var reason: String
        public var description: String { reason }
    }

    public let settings: Settings
    private let say: (String) -> Void

    public init(settings: Settings, progress: @escaping (String) -> Void) {
        self.settings = settings
        say = progress
    }

    public func run(generatedAt: String? = nil, interrupted: @escaping @Sendable () -> Bool) throws(Failure) -> VerifyReport {
        let original = try Self.originalFigures(settings.originalBundle)
        var notes = settings.notes
        if settings.invocation.command == "test" || settings.invocation.command == "coverage", !settings.invocation.hasArgument("--cache_test_results") {
            notes.append("--nocache_test_results added: cached test results would not run the tests again")
        }
        if !settings.clean { notes.append("build actions cached in the output base are not run again (--clean runs bazel clean first)") }
        if original.gcTimeFraction == nil { notes.append("the original has no GC log: GC time is not compared") }

        // Whatever server the original (or anything else) left in this output base: stopped, so
        // that the command's server starts inside the new cgroup. Only with the command verify
        // was allowed to run: the bundle's own words (its program, its server's startup options)
        // are never run as they were recorded.
        stopServer(settings.invocation)

        var report = VerifyReport(
            toolVersion: HeadroomVersion.current, generatedAt: generatedAt, verdict: .inconclusive, reasons: [], original: original,
            originalBundle: settings.originalBundle, plan: settings.plan, requestedCommand: settings.invocation.words, tolerance: settings.tolerance,
            attempts: [], notes: notes)
        let search = VerifySearch(mode: settings.mode, maxTries: settings.retry ? settings.maxTries : 1, ceiling: settings.memoryMaxCeiling ?? Self.hostCeiling())
        if let ceiling = search.ceiling, settings.plan.limits.memoryMaxBytes > ceiling {
            report.notes.append("the plan's MemoryMax is above the ceiling \(ByteSize.systemdArgument(ceiling)); it is run as planned, no correction goes above the ceiling")
        }
        try Self.runSequence(&report, search: search, retry: settings.retry, interrupted: interrupted, say: say) { plan, step, index throws(Failure) in
            try attempt(plan: plan, step: step, folder: Self.folder(for: step, index: index, out: settings.outFolder), original: original, interrupted: interrupted)
        }
        do {
            try AtomicFile.write(Data(try JSONRenderer.render(report).utf8), to: settings.outFolder + "/verify.json", overwrite: true)
        } catch {
            throw Failure(kind: .launch, reason: "\(settings.outFolder)/verify.json: \(error)")
        }
        return report
    }

    /// The original recording's figures.
    static func originalFigures(_ bundle: String) throws(Failure) -> VerifyReport.Figures {
        let contents: BundleReader.Contents
        do {
            contents = try BundleReader.read(bundle)
        } catch {
            throw Failure(kind: .input, reason: "\(error)")
        }
        var figures = VerifyReport.Figures()
        var record: RecordFacts?
        if let data = FileManager.default.contents(atPath: bundle + "/record.json") {
            record = try? JSONDecoder().decode(RecordFacts.self, from: data)
        }
        if let record {
            figures.exitStatus = record.exitStatus
            figures.signal = record.signal
            figures.timedOut = record.timedOut
            figures.wallSeconds = record.seconds
        }
        Self.addGCFigures(from: contents, to: &figures)
        var inputs = EvidenceInputs()
        inputs.bundles = [bundle]
        let facts = EvidenceLoader.load(inputs).facts
        figures.cgroupPeakBytes = facts.cgroup.peak?.value
        figures.cgroupLimitBytes = facts.cgroup.limit?.value
        figures.maxHeapBytes = facts.heap.max?.value
        return figures
    }

    /// GC time and pauses of a bundle's GC log, measured the same way for the original and the re-run.
    package static func addGCFigures(from contents: BundleReader.Contents, to figures: inout VerifyReport.Figures) {
        let gcLogs = contents.paths(of: .gcLog)
        guard !gcLogs.isEmpty, let gc = try? GCLogAnalysis.run(paths: gcLogs) else { return }
        // The GC time the heap's size answers for, as analyze's facts read it (`heapGCTimeFraction`):
        // record's own `bazel info` forces a full collection that is no sign of a small heap.
        figures.gcTimeFraction = gc.heapGCTimeFraction
        figures.pauseCount = gc.pauseCount
    }

    private func stopServer(_ invocation: BazelInvocation) {
        let words = invocation.sibling("shutdown").words
        say("stopping the server: \(ShellQuoting.line(words))")
        _ = try? CommandRunner.run(words, outputPath: "/dev/null", workingDirectory: settings.workingDirectory, timeoutSeconds: 120)
    }

    private func attempt(plan: VerifyPlan, step: VerifySearch.Step, folder: String, original: VerifyReport.Figures, interrupted: @escaping @Sendable () -> Bool) throws(Failure) -> VerifyReport.Attempt {
        if settings.clean {
            let words = settings.invocation.sibling("clean").words
            say("cleaning: \(ShellQuoting.line(words))")
            _ = try? CommandRunner.run(words, outputPath: "/dev/null", workingDirectory: settings.workingDirectory, timeoutSeconds: 600)
            stopServer(settings.invocation)
        }
        let cgroup: FreshMemoryCgroup
        do {
            cgroup = try FreshMemoryCgroup.make(limits: plan.limits, useSystemd: settings.useSystemd)
        } catch {
            throw Failure(kind: .cgroup, reason: error.reason)
        }
        defer { cgroup.remove() }
        say("cgroup \(cgroup.location.path) (v\(cgroup.location.version), \(cgroup.manager.rawValue)): \(cgroup.applied.joined(separator: ", "))")

        let invocation = Self.measured(plan: plan, invocation: settings.invocation)
        var recordSettings = BazelRecorder.Settings(invocation: invocation, bundleFolder: folder)
        recordSettings.replaceBundle = true
        recordSettings.workingDirectory = settings.workingDirectory
        recordSettings.timeoutSeconds = settings.timeoutSeconds
        recordSettings.intervalSeconds = settings.intervalSeconds
        recordSettings.launcher = cgroup.launcher(helper: settings.helper)
        recordSettings.scopeCgroup = cgroup.location.path
        let facts: RecordFacts
        do {
            facts = try BazelRecorder(settings: recordSettings, progress: say).run(interrupted: interrupted)
        } catch {
            if let run = BazelInvocation(invocation.words) { stopServer(run) }
            throw Failure(kind: .launch, reason: "\(error)")
        }
        let kernel = cgroup.readBack()
        // The server this run started, stopped with the very startup options it had.
        if let run = BazelInvocation(facts.command) { stopServer(run) }

        var figures = VerifyReport.Figures()
        figures.exitStatus = facts.exitStatus
        figures.signal = facts.signal
        figures.timedOut = facts.timedOut
        figures.wallSeconds = facts.seconds
        figures.cgroupPeakBytes = kernel.peakBytes
        figures.cgroupLimitBytes = plan.limits.memoryMaxBytes
        figures.maxHeapBytes = plan.maxHeapBytes ?? BazelInfoSize.bytes(facts.bazelInfo["max-heap-size"])
        if let contents = try? BundleReader.read(folder) { Self.addGCFigures(from: contents, to: &figures) }
        let (verdict, reasons) = Self.judge(figures, kernel: kernel, original: original, tolerance: settings.tolerance)
        var tail: [String] = []
        if verdict != .confirmed {
            let output = (try? String(contentsOfFile: folder + "/command-output.txt", encoding: .utf8)) ?? ""
            tail = Array(output.split(whereSeparator: \.isNewline).suffix(15).map(String.init))
        }
        say("\(verdict.rawValue): \(reasons.joined(separator: "; "))")
        return VerifyReport.Attempt(
            limits: plan.limits, options: plan.rcLines, command: invocation.words, cgroupPath: cgroup.location.path, cgroupVersion: cgroup.location.version,
            manager: cgroup.manager, applied: cgroup.applied, notApplied: cgroup.notApplied, bundle: folder, figures: figures, kernel: kernel,
            verdict: verdict, reasons: reasons, outputTail: tail, step: step)
    }

    /// The command a run measures: the plan's options applied, and cached test results off.
    static func measured(plan: VerifyPlan, invocation: BazelInvocation) -> BazelInvocation {
        var result = plan.apply(to: invocation)
        if result.command == "test" || result.command == "coverage", !result.hasArgument("--cache_test_results"), !result.hasArgument("--nocache_test_results") {
            result.arguments.insert("--nocache_test_results", at: 0)
        }
        return result
    }

    /// Every command line the first run executes, in order, before `record`'s own additions (the
    /// GC log and profile options, and `bazel info`, which it asks with the same startup options):
    /// what verify prints before it runs anything.
    public var commandLines: [[String]] {
        var lines = [settings.invocation.sibling("shutdown").words]
        if settings.clean { lines += [settings.invocation.sibling("clean").words, settings.invocation.sibling("shutdown").words] }
        lines.append(Self.measured(plan: settings.plan, invocation: settings.invocation).words)
        return lines
    }

    /// The verdict on one run against the original.
    public static func judge(
        _ run: VerifyReport.Figures, kernel: FreshMemoryCgroup.Readback, original: VerifyReport.Figures, tolerance: VerifyReport.Tolerance
    ) -> (VerifyReport.Verdict, [String]) {
        var tight: [String] = []
        if let kills = kernel.oomKills, kills > 0 {
            tight.append("the kernel OOM-killed \(kills) process\(kills == 1 ? "" : "es") in the cgroup (limit \(Formatting.bytes(run.cgroupLimitBytes)), peak \(Formatting.bytes(kernel.peakBytes)))")
        }
        if run.exitStatus == 33 { tight.append("Bazel ran out of heap (exit 33)") }
        if !tight.isEmpty { return (.tooTight, tight) }
        if run.timedOut { return (.inconclusive, ["timed out after \(Formatting.duration(seconds: run.wallSeconds)), with no kernel kill"]) }
        guard let status = run.exitStatus else {
            return (.inconclusive, ["the Bazel client was ended by signal \(run.signal ?? 0), with no kernel kill in the cgroup"])
        }
        if status != 0, status != original.exitStatus {
            return (.inconclusive, ["bazel exited \(status) (the original exited \(original.exitStatus.map(String.init) ?? "?")), with no kernel kill or heap OOM"])
        }
        var passed = ["bazel exited \(status)\(original.exitStatus.map { $0 == status ? " as the original did" : " (the original exited \($0))" } ?? "")"]
        passed.append("no kernel OOM kill (peak \(Formatting.bytes(kernel.peakBytes)) of \(Formatting.bytes(run.cgroupLimitBytes)))")
        if let new = run.gcTimeFraction, let old = original.gcTimeFraction {
            let text = "GC time \(Formatting.percent(new)) against \(Formatting.percent(old)) (at most +\(Formatting.percent(tolerance.gcFraction)))"
            if new > old + tolerance.gcFraction { tight.append("thrashing: " + text) } else { passed.append(text) }
        }
        if let new = run.wallSeconds, let old = original.wallSeconds {
            // A 2 s slack, so that the start-up jitter of a short run does not count as thrashing.
            let limit = old * tolerance.wallFactor + 2
            let text = "wall time \(Formatting.duration(seconds: new)) against \(Formatting.duration(seconds: old)) (at most \(Formatting.duration(seconds: limit)))"
            if new > limit { tight.append("thrashing: " + text) } else { passed.append(text) }
        }
        return tight.isEmpty ? (.confirmed, passed) : (.tooTight, tight)
    }

    /// The runs: the plan's, then each that `search` proposes after the one before, until it
    /// stops, the user interrupts (the rows so far are kept) or a later run cannot be made;
    /// then the verdict and the search's findings. `makeRun` makes one run of a plan, given how
    /// its limit was chosen and how many runs of that kind came before: a real one in a fresh
    /// cgroup, or a fake in tests.
    package static func runSequence(
        _ report: inout VerifyReport, search: VerifySearch, retry: Bool, interrupted: () -> Bool, say: (String) -> Void,
        makeRun: (VerifyPlan, VerifySearch.Step, Int) throws(Failure) -> VerifyReport.Attempt
    ) throws(Failure) {
        var convergence = VerifyReport.Convergence(mode: search.mode, maxTries: search.maxTries, ceilingBytes: search.ceiling)
        var plan = report.plan
        var step = VerifySearch.Step.plan
        var outcomes: [VerifySearch.Outcome] = []
        // The heap in effect at each run, when a heap OOM raised it above the plan's.
        var raisedHeaps: [Int64?] = []
        var raisedHeap: Int64?
        while true {
            let run: VerifyReport.Attempt
            do {
                run = try makeRun(plan, step, report.attempts.filter { $0.step == step }.count)
            } catch {
                // The rows so far are kept; a later run that could not be made only ends the sequence.
                guard !report.attempts.isEmpty else { throw error }
                convergence.stoppedBecause = "run \(report.attempts.count + 1) could not be made: \(error.reason)"
                break
            }
            report.attempts.append(run)
            raisedHeaps.append(raisedHeap)
            if interrupted() { break }
            var heapGrowth: Int64?
            if run.figures.exitStatus == 33, let heap = run.figures.maxHeapBytes {
                // Bazel's own heap ran out: the heap grows by the VPA step for every later run.
                let larger = VerifyCorrection.grown(heap)
                heapGrowth = larger - heap
                raisedHeap = larger
                plan = Self.withHeap(larger, plan: plan)
            }
            outcomes.append(run.outcome(heapGrowth: heapGrowth))
            let decision = search.decide(after: outcomes)
            guard retry, case .run(let limit, let next) = decision else {
                if case .stop(let reason) = decision { convergence.stoppedBecause = retry ? reason : "--no-retry: one run only" }
                break
            }
            let basis = next == .corrected
                ? "corrected: max(+100 MiB, ×1.2) of what run \(report.attempts.count) reached, at most the ceiling"
                : "search: between the largest failing and the smallest passing limit, not below a passing run's peak"
            plan = VerifyPlan(
                settings: plan.settings, limits: VerifyCorrection.limits(plan.limits, withMax: limit, basis: basis),
                source: report.plan.source + (next == .corrected ? ", corrected" : ", searched"))
            say("\(run.verdict.rawValue); \(next == .corrected ? "verifying the corrected" : "searching with") MemoryMax=\(ByteSize.systemdArgument(limit))")
            step = next
        }
        report.convergence = convergence
        summarise(&report, raisedHeaps: raisedHeaps, search: search)
    }

    /// The verdict, the corrected plan and the search's findings, from the runs made.
    package static func summarise(_ report: inout VerifyReport, raisedHeaps: [Int64?], search: VerifySearch) {
        guard let first = report.attempts.first else { return }
        report.verdict = first.verdict
        report.reasons = first.reasons
        let passing = report.attempts.indices.filter { report.attempts[$0].verdict == .confirmed }
        let smallest = passing.min { report.attempts[$0].limits.memoryMaxBytes < report.attempts[$1].limits.memoryMaxBytes }
        report.passingLimit = smallest.map { report.attempts[$0].limits.memoryMaxBytes }
        if search.mode == .search, let smallest {
            let limit = report.attempts[smallest].limits.memoryMaxBytes
            report.smallestPassingLimit = limit
            report.largestFailingLimit = VerifySearch.largestFailing(report.attempts.map { $0.outcome() }, below: limit)
            report.recommendedLimit = VerifySearch.recommended(smallestPassing: limit)
        }
        guard first.verdict == .tooTight else { return }
        if let chosen = smallest ?? (report.attempts.count > 1 ? report.attempts.count - 1 : nil) {
            report.corrected = report.attempts[chosen].limits
            report.correctedVerdict = report.attempts[chosen].verdict
            report.correctedMaxHeapBytes = raisedHeaps[chosen]
        } else {
            // Not run (--no-retry, interrupted, or the ceiling): the correction is still worth saying.
            let (corrected, heap) = Self.corrected(first, plan: report.plan)
            report.corrected = corrected.limits
            report.correctedMaxHeapBytes = heap
        }
    }

    /// Where a run's bundle goes: the plan's in `--out`, the corrections in `corrected`,
    /// `corrected-2`, …, the search's in `search-1`, `search-2`, ….
    package static func folder(for step: VerifySearch.Step, index: Int, out: String) -> String {
        switch step {
        case .plan: out
        case .corrected: out + (index == 0 ? "/corrected" : "/corrected-\(index + 1)")
        case .search: out + "/search-\(index + 1)"
        }
    }

    /// The default `--memory-max-ceiling`: 90 % of this machine's RAM, nil when `/proc/meminfo`
    /// cannot be read.
    static func hostCeiling() -> Int64? {
        HostMemoryReader().read()?.totalBytes.map(VerifySearch.defaultCeiling(hostMemory:))
    }

    /// `plan` with its heap set to `heap` (the plan's `-Xmx` replaced), after Bazel's own OOM.
    static func withHeap(_ heap: Int64, plan: VerifyPlan) -> VerifyPlan {
        var settings = plan.settings
        settings.removeAll { $0.scope == .startup && $0.argument.hasPrefix("--host_jvm_args=-Xmx") }
        settings.insert(
            BazelSetting(.startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx\(ByteSize.jvmArgument(heap))", reason: "corrected after exit 33"),
            at: 0)
        return VerifyPlan(settings: settings, limits: plan.limits, source: plan.source)
    }

    /// The corrected plan after a too-tight run: MemoryMax max(+100 MiB, ×1.2) of the larger of the
    /// peak and the limit; after Bazel's heap OOM the heap grows the same way and the limit with it.
    package static func corrected(_ attempt: VerifyReport.Attempt, plan: VerifyPlan) -> (VerifyPlan, Int64?) {
        let reached = VerifyCorrection.reached(limit: attempt.limits.memoryMaxBytes, peak: attempt.kernel.peakBytes)
        var result = plan
        var heap: Int64?
        var growth: Int64?
        if attempt.figures.exitStatus == 33, let current = attempt.figures.maxHeapBytes {
            let larger = VerifyCorrection.grown(current)
            heap = larger
            growth = larger - current
            result = withHeap(larger, plan: plan)
        }
        let maximum = VerifyCorrection.limit(after: attempt.limits.memoryMaxBytes, peak: attempt.kernel.peakBytes, heapGrowth: growth)
        result.limits = VerifyCorrection.limits(
            attempt.limits, withMax: maximum, basis: "corrected: max(+100 MiB, ×1.2) of \(Formatting.bytes(reached)) (the larger of the peak and the limit)")
        result.source = plan.source + ", corrected"
        return (result, heap)
    }
}
