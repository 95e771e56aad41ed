import Foundation
import Testing
import HeadroomKit

/// The plan's options on a command line, and the verdict rules, without running anything.
struct VerifyPlanTests {
    @Test func planOptionsGoWhereBazelReadsThem() throws {
        let plan = VerifyPlan(
            settings: [
                BazelSetting(.startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx512m", reason: ""),
                BazelSetting(.startup, flag: "max_idle_secs", argument: "--max_idle_secs=3600", reason: ""),
                BazelSetting(.build, flag: "jobs", argument: "--jobs=4", reason: ""),
                BazelSetting(.test, flag: "local_test_jobs", argument: "--local_test_jobs=1", reason: ""),
            ],
            limits: CgroupLimits(memoryMaxBytes: 1 << 30, basis: ""), source: "test")
        let test = plan.apply(to: BazelInvocation(["bazel", "--output_base=/o", "--max_idle_secs=5", "test", "//a:b", "--", "-//c"])!)
        #expect(test.words == ["bazel", "--output_base=/o", "--host_jvm_args=-Xmx512m", "--max_idle_secs=3600", "test", "--jobs=4", "--local_test_jobs=1", "//a:b", "--", "-//c"])
        // build options apply to build, test options do not.
        let build = plan.apply(to: BazelInvocation(["bazel", "build", "//..."])!)
        #expect(build.arguments == ["--jobs=4", "//..."])
        #expect(plan.maxHeapBytes == 512 << 20)
    }

    @Test func aFragmentGivesItsOptionLines() throws {
        let text = "# memory\nstartup --host_jvm_args=-Xmx1g\ntest --local_test_jobs=2 --jobs=3\nbuild:ci --jobs=8\n"
        let (settings, ignored) = try VerifyPlan.settings(fromFragment: text, name: "f.bazelrc")
        #expect(settings.map(\.rcLine) == ["startup --host_jvm_args=-Xmx1g", "test --local_test_jobs=2", "test --jobs=3"])
        #expect(settings.map(\.flag) == ["host_jvm_args", "local_test_jobs", "jobs"])
        #expect(ignored == ["build:ci --jobs=8"])
    }

    @Test func verdicts() {
        var original = VerifyReport.Figures()
        original.exitStatus = 0
        original.wallSeconds = 10
        original.gcTimeFraction = 0.02
        var run = original
        run.cgroupLimitBytes = 1 << 30
        let quiet = FreshMemoryCgroup.Readback(oomKills: 0, peakBytes: 500 << 20, failCount: 0)
        let tolerance = VerifyReport.Tolerance()
        #expect(VerifyRunner.judge(run, kernel: quiet, original: original, tolerance: tolerance).0 == .confirmed)
        #expect(VerifyRunner.judge(run, kernel: FreshMemoryCgroup.Readback(oomKills: 1, peakBytes: 1 << 30, failCount: 3), original: original, tolerance: tolerance).0 == .tooTight)
        var heapOOM = run
        heapOOM.exitStatus = 33
        #expect(VerifyRunner.judge(heapOOM, kernel: quiet, original: original, tolerance: tolerance).0 == .tooTight)
        var thrashing = run
        thrashing.gcTimeFraction = 0.08
        #expect(VerifyRunner.judge(thrashing, kernel: quiet, original: original, tolerance: tolerance).0 == .tooTight)
        var slow = run
        slow.wallSeconds = 17.5
        #expect(VerifyRunner.judge(slow, kernel: quiet, original: original, tolerance: tolerance).0 == .tooTight)
        var failed = run
        failed.exitStatus = 1
        #expect(VerifyRunner.judge(failed, kernel: quiet, original: original, tolerance: tolerance).0 == .inconclusive)
        // A test that failed in the original may fail again.
        var originalFailed = original
        originalFailed.exitStatus = 3
        var failedAgain = run
        failedAgain.exitStatus = 3
        #expect(VerifyRunner.judge(failedAgain, kernel: quiet, original: originalFailed, tolerance: tolerance).0 == .confirmed)
        #expect([VerifyReport.Verdict.confirmed, .tooTight, .inconclusive].map(\.exitStatus.rawValue) == [0, 20, 21])
    }

    @Test func theCorrectionIsVPAs() {
        func attempt(limit: Int64, peak: Int64, exit: Int32 = 0, heap: Int64? = nil) -> VerifyReport.Attempt {
            var figures = VerifyReport.Figures()
            figures.exitStatus = exit
            figures.maxHeapBytes = heap
            return VerifyReport.Attempt(
                limits: CgroupLimits(memoryMaxBytes: limit, memoryHighBytes: limit / 2, basis: ""), options: [], command: [], cgroupPath: "/x", cgroupVersion: 1,
                manager: .direct, applied: [], notApplied: [], bundle: "b", figures: figures,
                kernel: FreshMemoryCgroup.Readback(oomKills: 1, peakBytes: peak, failCount: 0), verdict: .tooTight, reasons: [], outputTail: [])
        }
        let plan = VerifyPlan(settings: [BazelSetting(.startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx256m", reason: "")], limits: CgroupLimits(memoryMaxBytes: 200 << 20, basis: ""), source: "t")
        // Small: +100 MiB wins; large: ×1.2 wins.
        #expect(VerifyRunner.corrected(attempt(limit: 200 << 20, peak: 200 << 20), plan: plan).0.limits.memoryMaxBytes == 300 << 20)
        let large = VerifyRunner.corrected(attempt(limit: 2 << 30, peak: 2 << 30), plan: plan).0.limits
        #expect(large.memoryMaxBytes == ByteSize.roundUp(Int64(Double(2 << 30) * 1.2), to: 1 << 20))
        #expect(large.memoryHighBytes == ByteSize.roundUp(large.memoryMaxBytes / 2, to: 1 << 20))
        // After Bazel's own OOM the heap grows too.
        let (heapPlan, heap) = VerifyRunner.corrected(attempt(limit: 1 << 30, peak: 600 << 20, exit: 33, heap: 256 << 20), plan: plan)
        #expect(heap == 356 << 20)
        #expect(heapPlan.maxHeapBytes == 356 << 20)
    }
}

/// Why the real verification tests cannot run here, or nil.
let verifyUnavailable: String? = recordInCgroupUnavailable

/// `FreshMemoryCgroup` and `headroom verify` for real: a cgroup made, limited, joined before exec,
/// read back and removed; a recorded `bazel test` verified under its plan (confirmed) and under a
/// limit below its peak (too tight: a real kernel kill, then the corrected limit verified).
@Suite(.serialized, .enabled(if: verifyUnavailable == nil, "\(verifyUnavailable ?? "")"))
struct VerifyRealTests {
    @Test func aFreshCgroupHoldsTheCommandAndCountsTheKill() throws {
        let cgroup = try FreshMemoryCgroup.make(limits: CgroupLimits(memoryMaxBytes: 64 << 20, basis: "test"), useSystemd: false)
        let directory = cgroup.location.directory
        #expect(KernelFile.text(directory + "/memory.limit_in_bytes")?.hasPrefix("\(64 << 20)") == true)
        // python3 allocates 200 MiB inside a 64 MiB cgroup it joined before exec: the kernel kills it.
        let allocate = "b = bytearray(200 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1"
        let status = SpawnedProcess.run(builtHeadroom, ["__exec-in-cgroup", directory, "--", "python3", "-c", allocate])
        #expect(status == -1, "killed by SIGKILL")
        let kernel = cgroup.readBack()
        #expect(kernel.oomKills == 1)
        #expect((kernel.peakBytes ?? 0) >= 60 << 20)
        cgroup.remove()
        #expect(!KernelFile.isDirectory(directory))
    }

    @Test func aHelperThatCannotJoinSaysWhy() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("out").path
        let outcome = try CommandRunner.run([builtHeadroom, "__exec-in-cgroup", "/no/such/cgroup", "--", "true"], outputPath: output)
        #expect(outcome.exitStatus == 127)
        #expect((try? String(contentsOfFile: output, encoding: .utf8))?.contains("/no/such/cgroup/cgroup.procs") == true)
    }

    /// A generated workspace and a `headroom record` of `bazel test` in it.
    static func recorded(in root: URL) throws -> (workspace: URL, bundle: String, outputBase: String) {
        let generator = TestSupport.repositoryRoot.appendingPathComponent("scripts/make-workspace.py").path
        let workspace = root.appendingPathComponent("workspace")
        #expect(SpawnedProcess.run("/usr/bin/python3", [generator, workspace.path, "--packages", "2", "--chains", "1", "--length", "10", "--tests", "2", "--test-mib", "60", "--test-seconds", "2"]) == 0)
        let flags = [
            "--override_repository=rules_java=/usr/share/bazel/rules/java",
            "--override_repository=rules_cc=\(workspace.path)/.stubs/rules_cc",
            "--override_repository=remote_coverage_tools=\(workspace.path)/.stubs/remote_coverage_tools",
        ]
        let outputBase = root.appendingPathComponent("ob").path
        let bundle = root.appendingPathComponent("original").path
        let status = SpawnedProcess.run(
            builtHeadroom, ["record", "--quiet", "--interval", "100ms", "--out", bundle, "--", installedBazel!, "--output_base=\(outputBase)", "test"] + flags + ["//memtests:all", "//p000/..."],
            in: workspace)
        #expect(status == 0)
        return (workspace, bundle, outputBase)
    }

    /// `--trust-bundle`: the recorded command needs its `--override_repository` options, which
    /// verify does not replay from a bundle otherwise.
    static func verify(_ arguments: [String], in workspace: URL, report: String) throws -> (status: Int32, report: VerifyReport) {
        let outcome = try CommandRunner.run(
            [builtHeadroom, "verify", "--quiet", "--trust-bundle", "--interval", "100ms", "--format", "json", "-o", report, "--force"] + arguments,
            outputPath: report + ".err", workingDirectory: workspace.path)
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        return (outcome.exitStatus ?? -1, try JSONDecoder().decode(VerifyReport.self, from: data))
    }

    /// No cgroup named like a verification's is left under `directory`.
    static func noCgroupLeft(under directory: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return !names.contains { $0.hasPrefix("headroom-verify-") }
    }

    static func serverRunning(_ outputBase: String) -> Bool {
        BazelServerLocator(outputBase: outputBase).serverPID() != nil
    }

    @Test func theAnalysedPlanIsConfirmed() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, bundle, outputBase) = try Self.recorded(in: root)
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        let out = root.appendingPathComponent("verified").path
        let (status, report) = try Self.verify([bundle, "--out", out], in: workspace, report: root.appendingPathComponent("verify.json").path)
        #expect(status == 0, "\(report.reasons)")
        #expect(report.verdict == .confirmed)
        #expect(report.attempts.count == 1)
        let attempt = try #require(report.attempts.first)
        #expect(attempt.kernel.oomKills == 0)
        #expect(attempt.command.contains("--host_jvm_args=-Xmx512m"))
        #expect(attempt.command.contains("--nocache_test_results"))
        #expect(attempt.figures.exitStatus == 0)
        // The server and the tests ran inside the verification's cgroup.
        let facts = try JSONDecoder().decode(RecordFacts.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/record.json")))
        #expect(facts.serverCgroup == attempt.cgroupPath)
        #expect(facts.serverInsideScope == true)
        #expect((attempt.kernel.peakBytes ?? 0) >= 120 << 20, "two 60 MiB tests and a server")
        #expect(FileManager.default.fileExists(atPath: out + "/verify.json"))
        #expect(!Self.serverRunning(outputBase))
        let parent = (attempt.cgroupPath as NSString).deletingLastPathComponent
        #expect(Self.noCgroupLeft(under: RealCgroup.v1Root + parent))
    }

    @Test func ctrlCDuringTheVerifiedRunLeavesNoCgroupAndNoTestBehind() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, bundle, outputBase) = try Self.recorded(in: root)
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        let out = root.appendingPathComponent("verified").path
        // SIGINT to headroom, as Ctrl-C sends it, once the verified Bazel command is under way.
        let started = Date()
        let outcome = try CommandRunner.run(
            [builtHeadroom, "verify", "--quiet", "--trust-bundle", "--interval", "100ms", bundle, "--out", out],
            outputPath: root.appendingPathComponent("verify.out").path, workingDirectory: workspace.path
        ) { Date().timeIntervalSince(started) > 6 }
        #expect(outcome.interrupted)
        #expect(outcome.exitStatus == 130)
        #expect(Date().timeIntervalSince(started) < 60, "stopped promptly")
        // No verification cgroup anywhere in the hierarchy, and no test of the workspace running.
        let hierarchy = FileManager.default.enumerator(atPath: RealCgroup.v1Root)
        var leftovers: [String] = []
        while let entry = hierarchy?.nextObject() as? String {
            if (entry as NSString).lastPathComponent.hasPrefix("headroom-verify-") { leftovers.append(entry) }
            if entry.split(separator: "/").count > 2 { hierarchy?.skipDescendants() }
        }
        // Only this test's: verify makes its cgroup beside itself (or at the root), and other
        // work on a shared machine may be verifying in cgroups of its own meanwhile.
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))?
            .split(separator: "\n").first { $0.split(separator: ":").dropFirst().first?.split(separator: ",").contains("memory") == true }
            .flatMap { $0.split(separator: ":", maxSplits: 2).last }
            .map { String($0.drop { $0 == "/" }) } ?? ""
        leftovers.removeAll { !own.isEmpty && !$0.hasPrefix(own + "/") && $0.contains("/") }
        #expect(leftovers.isEmpty)
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let running = processes.compactMap { Int($0) }.filter { pid in
            let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
            return commandLine.contains(workspace.path) && !commandLine.contains("bazel(") && !commandLine.contains("A-server.jar")
        }
        #expect(running.isEmpty, "left running: \(running)")
        let bundleRead = try BundleReader.read(out)
        #expect(!bundleRead.manifest.complete, "an interrupted run is never marked complete")
    }

    /// `--search` from the analysed plan, which passes: halving down toward the measured peak
    /// and bisecting, five real runs at most, each a row of the report.
    @Test func aSearchFindsASmallerPassingLimit() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, bundle, outputBase) = try Self.recorded(in: root)
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        let out = root.appendingPathComponent("verified").path
        let started = Date()
        let (status, report) = try Self.verify(
            [bundle, "--search", "--max-tries", "5", "--out", out], in: workspace, report: root.appendingPathComponent("verify.json").path)
        let text = VerifyRenderer.text(report)
        let summary = "\(Int(Date().timeIntervalSince(started))) s:\n\(text)"
        #expect(status == 0, "\(summary)")
        #expect(report.verdict == .confirmed)
        #expect(report.convergence?.mode == .search)
        #expect((2...5).contains(report.attempts.count), "\(summary)")
        #expect(report.attempts.dropFirst().allSatisfy { $0.step == .search })
        let plan = try #require(report.attempts.first)
        let smallest = try #require(report.smallestPassingLimit, "\(summary)")
        #expect(smallest < plan.limits.memoryMaxBytes)
        let peaks = report.attempts.filter { $0.verdict == .confirmed }.compactMap(\.kernel.peakBytes)
        #expect(report.attempts.allSatisfy { attempt in peaks.allSatisfy { attempt.limits.memoryMaxBytes >= $0 } }, "no run below a passing run's peak")
        #expect(try #require(report.recommendedLimit) >= smallest)
        #expect(FileManager.default.fileExists(atPath: out + "/search-1/record.json"))
        #expect(!Self.serverRunning(outputBase))
        let parent = (plan.cgroupPath as NSString).deletingLastPathComponent
        #expect(Self.noCgroupLeft(under: RealCgroup.v1Root + parent))
        print(summary)
    }

    @Test func aLimitBelowThePeakIsTooTightAndCorrected() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, bundle, outputBase) = try Self.recorded(in: root)
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        let fragment = root.appendingPathComponent("tight.bazelrc").path
        try Data("startup --host_jvm_args=-Xmx256m\ntest --local_test_jobs=2\n".utf8).write(to: URL(fileURLWithPath: fragment))
        let out = root.appendingPathComponent("verified").path
        let (status, report) = try Self.verify(
            [bundle, "--fragment", fragment, "--memory-max", "200m", "--out", out], in: workspace, report: root.appendingPathComponent("verify.json").path)
        #expect(status == 20)
        #expect(report.verdict == .tooTight)
        let first = try #require(report.attempts.first)
        #expect((first.kernel.oomKills ?? 0) >= 1, "a real kernel kill in the cgroup")
        #expect(first.limits.memoryMaxBytes == 200 << 20)
        #expect(first.command.contains("--local_test_jobs=2"))
        // Corrected to max(+100 MiB, ×1.2) of 200 MiB and verified, then again from each run
        // until one passes: every run a row, the one that passed the corrected plan.
        #expect(report.attempts.count >= 2)
        #expect(report.attempts[1].limits.memoryMaxBytes == 300 << 20)
        #expect(report.attempts.dropFirst().allSatisfy { $0.step == .corrected })
        #expect(report.correctedVerdict == report.attempts.last?.verdict)
        #expect(report.corrected == report.attempts.last?.limits)
        if report.correctedVerdict == .confirmed {
            #expect(report.passingLimit == report.corrected?.memoryMaxBytes)
        }
        #expect(FileManager.default.fileExists(atPath: out + "/corrected/record.json"))
        #expect(!Self.serverRunning(outputBase))
        let parent = (first.cgroupPath as NSString).deletingLastPathComponent
        #expect(Self.noCgroupLeft(under: RealCgroup.v1Root + parent))
    }
}
