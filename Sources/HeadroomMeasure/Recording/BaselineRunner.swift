import Foundation
import HeadroomStore

/// Runs `bazel build --nobuild -k TARGETS` as recorded steps: once with the heap as configured,
/// then, for a sweep, with smaller `-Xmx` values found by bisection, each on a fresh server.
///
/// A step passes when it finishes with GC time and wall time near the roomiest run's (GC time at
/// most 5 points and at most twice the roomy one's, or 10 %; wall time at most 1.5× + 2 s). Bazel's
/// OOM (exit 33) and a kernel kill are results, not errors.
public final class BaselineRunner {
    /// What to run.
    public struct Settings: Sendable {
        /// The Bazel binary and the user's startup options (`--output_base`, …).
        public var bazel: [String]
        public var targets: [String]
        public var folder: String
        public var replace = false
        public var workspace: String?
        public var sweep = false
        public var sweepFloorBytes: Int64?
        public var sweepCeilingBytes: Int64?
        public var maximumSweepSteps = 6
        public var stepTimeoutSeconds: Double?
        public var intervalSeconds = 0.25

        public init(bazel: [String], targets: [String], folder: String) {
            self.bazel = bazel
            self.targets = targets
            self.folder = folder
        }
    }

    public let settings: Settings
    private let say: (String) -> Void

    public init(settings: Settings, progress: @escaping (String) -> Void) {
        self.settings = settings
        say = progress
    }

    public func run(interrupted: @escaping @Sendable () -> Bool) throws -> BaselineReport {
        let bundle = try BundleWriter(folder: settings.folder, replace: settings.replace)
        var report = BaselineReport(targets: settings.targets)
        let started = SamplingLoop.monotonicSeconds()
        let plannedSteps = settings.sweep ? 1 + settings.maximumSweepSteps : 1
        func step(_ index: Int, heap: Int64?) throws -> BaselineReport.Step {
            let name = heap.map { "step-\(index)-xmx-\($0 >> 20)m" } ?? "step-\(index)-as-configured"
            let elapsed = Int(SamplingLoop.monotonicSeconds() - started)
            say("step \(index + 1) of at most \(plannedSteps): -Xmx \(heap.map { "\($0 >> 20) MiB" } ?? "as configured"), \(elapsed) s elapsed")
            return try runStep(index: index, heap: heap, name: name, folder: bundle.path(of: name), interrupted: interrupted)
        }

        let roomy = try step(0, heap: nil)
        report.steps.append(roomy)
        if settings.sweep, roomy.result == .passed, let live = roomy.liveBytes {
            var low = max(settings.sweepFloorBytes ?? 0, live + live / 10)
            var high = settings.sweepCeilingBytes ?? roomy.effectiveMaxHeapBytes ?? (8 << 30)
            var passingFloor: Int64? = high
            var index = 1
            while index <= settings.maximumSweepSteps, Double(high) / Double(max(low, 1)) > 1.1, !interrupted() {
                // Geometric middle: the range spans orders of magnitude.
                let middle = (Int64((Double(low) * Double(high)).squareRoot()) >> 20) << 20
                let result = try step(index, heap: middle)
                report.steps.append(judge(result, against: roomy))
                if report.steps.last!.result == .passed {
                    high = middle
                    passingFloor = middle
                } else {
                    low = middle
                }
                index += 1
            }
            report.floorBytes = passingFloor
            report.notes.append("sweep between \(low >> 20) and \(high >> 20) MiB after \(index - 1) steps")
        } else if settings.sweep {
            report.notes.append("no sweep: the run with the heap as configured did not pass or gave no live figure")
        }
        let text = BaselineTable.render(report)
        try AtomicFile.write(Data(try JSONRenderer.render(report).utf8), to: bundle.path(of: "baseline.json"), overwrite: true)
        try AtomicFile.write(Data(text.utf8), to: bundle.path(of: "baseline.txt"), overwrite: true)
        bundle.add("baseline.json", kind: .baseline)
        bundle.add("baseline.txt", kind: .other, description: "the baseline as a table")
        bundle.update { $0.command = settings.bazel + ["build", "--nobuild", "-k"] + settings.targets }
        try bundle.close(complete: !interrupted())
        return report
    }

    private func runStep(index: Int, heap: Int64?, name: String, folder: String, interrupted: @escaping @Sendable () -> Bool) throws -> BaselineReport.Step {
        var words = settings.bazel
        if let heap { words.append("--host_jvm_args=-Xmx\(heap >> 20)m") }
        words += ["build", "--nobuild", "-k"] + settings.targets
        var recordSettings = BazelRecorder.Settings(invocation: BazelInvocation(words)!, bundleFolder: folder)
        recordSettings.replaceBundle = true
        recordSettings.workingDirectory = settings.workspace
        recordSettings.timeoutSeconds = settings.stepTimeoutSeconds
        recordSettings.intervalSeconds = settings.intervalSeconds
        let facts = try BazelRecorder(settings: recordSettings) { _ in }.run(interrupted: interrupted)
        var step = BaselineReport.Step(
            index: index, maxHeapBytes: heap, result: .failed, exitStatus: facts.exitStatus, wallSeconds: facts.seconds,
            pauseCount: 0, fullGCCount: 0, bundle: name)
        step.liveBytes = BazelInfoSize.bytes(facts.bazelInfo["used-heap-size-after-gc"])
        step.committedBytes = BazelInfoSize.bytes(facts.bazelInfo["committed-heap-size"])
        step.effectiveMaxHeapBytes = BazelInfoSize.bytes(facts.bazelInfo["max-heap-size"])
        if let contents = try? BundleReader.read(folder) {
            let gcLogs = contents.paths(of: .gcLog)
            if !gcLogs.isEmpty, let gc = try? GCLogAnalysis.run(paths: gcLogs) {
                step.gcTimeFraction = gc.gcTimeFraction
                step.pauseCount = gc.pauseCount
                step.fullGCCount = gc.fullGCCount
            }
            if let samples = contents.paths(of: .samples).first {
                // The server's own high-water mark (VmHWM), or the sampled RSS where it is missing.
                var peak: Int64 = 0
                _ = try? MemorySeriesReader.read(samples) { sample in
                    peak = max(peak, sample.processes?.rootPeakRSSBytes ?? sample.processes?.rssBytes ?? 0)
                }
                step.serverPeakRSSBytes = peak > 0 ? peak : nil
            }
        }
        switch facts.exitStatus {
        case 0: step.result = .passed
        case 33: step.result = .outOfMemory
        default: step.result = facts.signal == SIGKILL ? .outOfMemory : .failed
        }
        return step
    }

    /// A finished step that spent far more time in GC, or far longer, than the roomy run thrashed.
    func judge(_ step: BaselineReport.Step, against roomy: BaselineReport.Step) -> BaselineReport.Step {
        guard step.result == .passed else { return step }
        var judged = step
        let roomyFraction = roomy.gcTimeFraction ?? 0
        let gcLimit = max(0.10, min(roomyFraction * 2, roomyFraction + 0.05))
        if let fraction = step.gcTimeFraction, fraction > gcLimit { judged.result = .thrashing }
        if step.wallSeconds > roomy.wallSeconds * 1.5 + 2 { judged.result = .thrashing }
        return judged
    }
}
