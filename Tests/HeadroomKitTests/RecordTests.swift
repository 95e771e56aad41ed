import Foundation
import Testing
import HeadroomKit

/// `record` against a real Bazel in a throwaway workspace.
@Suite(.serialized, .enabled(if: installedBazel != nil, "bazel is not installed"))
struct RecordTests {
    @Test func theCommandLineSplitsLikeBazels() {
        let invocation = BazelInvocation(["bazel", "--output_base=/x", "--batch", "build", "-k", "//...", "--", "-//skip/..."])
        #expect(invocation?.startupOptions == ["--output_base=/x", "--batch"])
        #expect(invocation?.command == "build")
        #expect(invocation?.arguments == ["-k", "//...", "--", "-//skip/..."])
        #expect(invocation?.sibling("info", ["release"]).words == ["bazel", "--output_base=/x", "--batch", "info", "release"])
        #expect(invocation?.hasArgument("--profile") == false)
        #expect(BazelInvocation(["bazel", "--batch"]) == nil)
    }

    @Test func aRecordedNoBuildHasEveryPart() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent("WORKSPACE"))
        try Data("genrule(name = \"a\", outs = [\"a.txt\"], cmd = \"echo hi > $@\")\n".utf8).write(to: workspace.appendingPathComponent("BUILD"))
        let outputBase = root.appendingPathComponent("output-base").path
        let bundleFolder = root.appendingPathComponent("bundle").path
        let command = [installedBazel!, "--output_base=\(outputBase)", "build", "--nobuild", "//..."]
        var settings = BazelRecorder.Settings(invocation: BazelInvocation(command)!, bundleFolder: bundleFolder)
        settings.workingDirectory = workspace.path
        settings.intervalSeconds = 0.1
        let recorder = BazelRecorder(settings: settings) { _ in }
        let facts = try recorder.run { false }
        defer {
            // The same startup options as the recording, or shutdown would start another server.
            _ = SpawnedProcess.run(installedBazel!, Array(facts.command.dropFirst().prefix { $0.hasPrefix("--") }) + ["shutdown"], in: workspace)
        }

        #expect(facts.exitStatus == 0)
        #expect(facts.serverPID != nil)
        #expect(facts.serverCommandLine?.contains { $0.hasPrefix("-Xlog:gc*:file=") } == true)
        #expect(facts.serverInsideScope == true)
        #expect(facts.bazelInfo["used-heap-size-after-gc"]?.hasSuffix("MB") == true)
        #expect(facts.samples >= 1)

        let bundle = try BundleReader.read(bundleFolder)
        #expect(bundle.manifest.complete)
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let gc = try GCLogAnalysis.run(paths: bundle.paths(of: .gcLog))
        #expect(gc.pauseCount > 0)
        // `bazel info used-heap-size-after-gc` forces a full collection: an exact live figure.
        #expect(gc.explicitFullGCCount >= 1)
        #expect(gc.collector == .g1)
        var samples = 0
        _ = try MemorySeriesReader.read(try #require(bundle.paths(of: .samples).first)) { sample in
            if sample.processes?.largest.first?.name == "java" { samples += 1 }
        }
        #expect(samples >= 1)
        #expect(bundle.paths(of: .traceProfile).count == 1)
        #expect(facts.bazelVersion?.hasPrefix("bazel") == true)
    }
}

/// `baseline --sweep` against a real Bazel on a generated workspace.
@Suite(.serialized, .enabled(if: installedBazel != nil, "bazel is not installed"))
struct BaselineTests {
    @Test func aSweepFindsAFloorBetweenTheLiveSetAndTheCeiling() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        let generator = TestSupport.repositoryRoot.appendingPathComponent("scripts/make-workspace.py").path
        #expect(SpawnedProcess.run("/usr/bin/python3", [generator, workspace.path, "--packages", "5", "--chains", "2", "--length", "30"]) == 0)
        let outputBase = root.appendingPathComponent("output-base").path
        var settings = BaselineRunner.Settings(
            bazel: [installedBazel!, "--output_base=\(outputBase)"], targets: ["//..."], folder: root.appendingPathComponent("baseline").path)
        settings.workspace = workspace.path
        settings.sweep = true
        settings.sweepCeilingBytes = 256 << 20
        settings.maximumSweepSteps = 2
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        let report = try BaselineRunner(settings: settings) { _ in }.run { false }

        let roomy = try #require(report.steps.first)
        #expect(roomy.result == .passed)
        #expect((roomy.liveBytes ?? 0) > 1 << 20)
        #expect(roomy.pauseCount > 0)
        #expect(report.steps.count == 3)
        for step in report.steps.dropFirst() {
            let heap = try #require(step.maxHeapBytes)
            #expect(heap > roomy.liveBytes! && heap <= 256 << 20)
            // Each step ran on its own server with that heap.
            #expect(step.effectiveMaxHeapBytes.map { abs($0 - heap) <= 16 << 20 } == true, "asked \(heap), got \(step.effectiveMaxHeapBytes ?? -1)")
        }
        #expect(report.floorBytes != nil)
        let bundle = try BundleReader.read(settings.folder)
        #expect(bundle.manifest.complete)
        #expect(bundle.paths(of: .baseline).count == 1)
        #expect(BaselineTable.render(report).contains("Smallest -Xmx"))
    }
}

/// What the installed Bazel is and which flags it has.
@Suite(.enabled(if: installedBazel != nil, "bazel is not installed"))
struct BazelIdentityTests {
    @Test func aDevelopmentBuildIsProbedForItsFlags() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent("WORKSPACE"))
        let startup = ["--output_base=\(root.appendingPathComponent("ob").path)"]
        defer { _ = SpawnedProcess.run(installedBazel!, startup + ["shutdown"], in: workspace) }
        let cache = root.appendingPathComponent("cache").path
        let identity = BazelIdentity.probe(binary: installedBazel!, startupOptions: startup, workingDirectory: workspace.path, cacheDirectory: cache)
        if case .numbered = identity.release {
            // A numbered release is answered from the table; nothing to probe.
            #expect(identity.probedCommandFlags == nil)
            return
        }
        let flags = try #require(identity.probedCommandFlags)
        #expect(flags.count > 200)
        #expect(identity.supports("jobs") == true)
        #expect(identity.supports("discard_analysis_cache") == true)
        #expect(identity.supports("no_such_flag_anywhere") == false)
        #expect(identity.supports("host_jvm_args", startup: true) == true)
        // Cached per binary: a second probe reads the cache file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 1)
        #expect(BazelIdentity.probe(binary: installedBazel!, cacheDirectory: cache) == identity)
    }

    @Test func helpLinesGiveNamesAndDefaults() {
        let flags = BazelIdentity.parseHelpFlags("""
              --[no]batch (a boolean; default: "false")
              --jobs [-j] (an integer, or a keyword; default: "auto")
                The number of concurrent jobs.
              --host_jvm_args (a string; may be used multiple times)
            """)
        #expect(flags["batch"] == "false")
        #expect(flags["jobs"] == "auto")
        #expect(flags["host_jvm_args"] == "")
        #expect(flags.count == 3)
    }
}

/// A command that outlives its timeout: the client is stopped and the bundle still written.
@Suite(.serialized, .enabled(if: installedBazel != nil, "bazel is not installed"))
struct RecordTimeoutTests {
    @Test func aTimedOutCommandLeavesAnIncompleteBundle() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        let generator = TestSupport.repositoryRoot.appendingPathComponent("scripts/make-workspace.py").path
        #expect(SpawnedProcess.run("/usr/bin/python3", [generator, workspace.path, "--packages", "1", "--chains", "1", "--length", "2", "--tests", "1", "--test-mib", "10", "--test-seconds", "30"]) == 0)
        let outputBase = root.appendingPathComponent("ob").path
        let command = [installedBazel!, "--output_base=\(outputBase)", "test",
            "--override_repository=rules_java=/usr/share/bazel/rules/java",
            "--override_repository=rules_cc=\(workspace.path)/.stubs/rules_cc",
            "--override_repository=remote_coverage_tools=\(workspace.path)/.stubs/remote_coverage_tools", "//memtests:all"]
        var settings = BazelRecorder.Settings(invocation: BazelInvocation(command)!, bundleFolder: root.appendingPathComponent("bundle").path)
        settings.workingDirectory = workspace.path
        settings.timeoutSeconds = 4
        let started = Date()
        let facts = try BazelRecorder(settings: settings) { _ in }.run { false }
        defer { _ = SpawnedProcess.run(installedBazel!, Array(facts.command.dropFirst().prefix { $0.hasPrefix("--") }) + ["shutdown"], in: workspace) }

        #expect(facts.timedOut)
        #expect(facts.exitStatus != 0)
        #expect(Date().timeIntervalSince(started) < 25, "the 30 s test was not waited for")
        let bundle = try BundleReader.read(settings.bundleFolder)
        #expect(!bundle.manifest.complete)
        #expect(bundle.manifest.notes.contains { $0.contains("timed out") })
        #expect(bundle.paths(of: .samples).count == 1)
        #expect(bundle.paths(of: .gcLog).count >= 1)
    }
}
