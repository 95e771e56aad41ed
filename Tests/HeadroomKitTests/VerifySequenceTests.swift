import Foundation
import Testing
import HeadroomKit

private let mib: Int64 = 1 << 20

/// `VerifyRunner`'s sequence of runs with a fake run in place of Bazel in a cgroup: every run a
/// row, the verdict the plan's, the corrected plan and the search's findings in the report and in
/// each of its forms, Ctrl-C keeping the rows so far.
struct VerifySequenceTests {
    static let plan = VerifyPlan(
        settings: [BazelSetting(.startup, flag: "host_jvm_args", argument: "--host_jvm_args=-Xmx256m", reason: "")],
        limits: CgroupLimits(memoryMaxBytes: 600 * mib, basis: "plan"), source: "analysis of b")

    static func report(plan: VerifyPlan = plan) -> VerifyReport {
        var original = VerifyReport.Figures()
        original.exitStatus = 0
        return VerifyReport(
            toolVersion: "0", verdict: .inconclusive, reasons: [], original: original, originalBundle: "b", plan: plan, requestedCommand: ["bazel", "test", "//..."],
            tolerance: VerifyReport.Tolerance(), attempts: [], notes: [])
    }

    /// A run of `plan` as the fake build would end it; `heapOOM` ends every run with exit 33
    /// while the heap is below it.
    static func run(_ plan: VerifyPlan, step: VerifySearch.Step, build: FakeBuild, heapOOMBelow: Int64? = nil) -> VerifyReport.Attempt {
        let outcome = build.outcome(plan.limits.memoryMaxBytes)
        var figures = VerifyReport.Figures()
        figures.cgroupLimitBytes = plan.limits.memoryMaxBytes
        figures.cgroupPeakBytes = outcome.peak
        figures.maxHeapBytes = plan.maxHeapBytes
        figures.wallSeconds = 5
        figures.gcTimeFraction = 0.03
        var verdict = outcome.verdict
        figures.exitStatus = verdict == .confirmed ? 0 : 37
        var kills = verdict == .confirmed ? 0 : 1
        if let heapOOMBelow, (plan.maxHeapBytes ?? 0) < heapOOMBelow {
            figures.exitStatus = 33
            verdict = .tooTight
            kills = 0
        }
        return VerifyReport.Attempt(
            limits: plan.limits, options: plan.rcLines, command: ["bazel", "test"], cgroupPath: "/headroom-verify-\(plan.limits.memoryMaxBytes / mib)", cgroupVersion: 1,
            manager: .direct, applied: [], notApplied: [], bundle: "out/\(step.rawValue)", figures: figures,
            kernel: MemoryCgroupReadback(oomKills: kills, peakBytes: outcome.peak, failCount: 0), verdict: verdict, reasons: [verdict.rawValue], outputTail: [],
            step: step)
    }

    @Test func aTooTightPlanConvergesAndEveryRunIsARow() throws {
        var report = Self.report()
        var indices: [String] = []
        try VerifyRunner.runSequence(&report, search: VerifySearch(mode: .converge), retry: true, interrupted: { false }, say: { _ in }) { plan, step, index in
            indices.append(VerifyRunner.folder(for: step, index: index, out: "out"))
            return Self.run(plan, step: step, build: FakeBuild(need: 800 * mib))
        }
        #expect(report.verdict == .tooTight, "the plan's own limits did not pass")
        #expect(report.attempts.map(\.limits.memoryMaxBytes) == [600 * mib, 720 * mib, 864 * mib])
        #expect(report.attempts.map(\.step) == [.plan, .corrected, .corrected])
        #expect(indices == ["out", "out/corrected", "out/corrected-2"])
        #expect(report.corrected?.memoryMaxBytes == 864 * mib)
        #expect(report.correctedVerdict == .confirmed)
        #expect(report.passingLimit == 864 * mib)
        #expect(report.smallestPassingLimit == nil, "only a search knows the smallest")
        #expect(report.convergence?.stoppedBecause == "MemoryMax=864M passed")

        let json = try JSONRenderer.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["attempts"] as? [Any])?.count == 3)
        #expect(object["passingLimit"] as? Int64 == 864 * mib)
        #expect(object["correctedVerdict"] as? String == "confirmed")
        #expect(try JSONDecoder().decode(VerifyReport.self, from: Data(json.utf8)) == report)

        let text = VerifyRenderer.text(report)
        #expect(text.contains("Runs\n  run  step       MemoryMax  peak     OOM kills  exit  wall   GC time  verdict\n"), "\(text)")
        #expect(text.contains("  2    corrected  720 MiB    720 MiB  1          37    5.0 s  3.00 %   too-tight\n"), "\(text)")
        #expect(text.contains("  3    corrected  864 MiB    800 MiB  0          0     5.0 s  3.00 %   confirmed\n"), "\(text)")
        #expect(text.contains("Corrected: MemoryMax=864M MemorySwapMax=0 — verified: confirmed"))
        #expect(text.contains("Stopped after 3 of at most 5 runs: MemoryMax=864M passed"))
        let markdown = VerifyRenderer.markdown(report)
        #expect(markdown.contains("| 3: corrected | confirmed | 864 MiB | 0 |"), "\(markdown)")
    }

    @Test func aSearchFromAPassingPlanRecommendsTheSmallestPassingWithTheMargin() throws {
        var plan = Self.plan
        plan.limits.memoryMaxBytes = 2112 * mib
        var report = Self.report(plan: plan)
        try VerifyRunner.runSequence(&report, search: VerifySearch(mode: .search, ceiling: 20 << 30), retry: true, interrupted: { false }, say: { _ in }) { plan, step, _ in
            Self.run(plan, step: step, build: FakeBuild(need: 300 * mib, peakShare: 0.9))
        }
        #expect(report.verdict == .confirmed, "the plan passed")
        #expect(report.corrected == nil)
        let smallest = try #require(report.smallestPassingLimit)
        #expect(smallest >= 300 * mib)
        #expect(report.attempts.count <= VerifySearch.defaultSearchTries)
        #expect(report.attempts.dropFirst().allSatisfy { $0.step == .search })
        #expect(report.recommendedLimit == VerifySearch.recommended(smallestPassing: smallest))
        #expect(try #require(report.recommendedLimit) >= smallest)
        let text = VerifyRenderer.text(report)
        #expect(text.contains("Smallest passing: MemoryMax=\(ByteSize.systemdArgument(smallest))"))
        #expect(text.contains("Recommended: MemoryMax="))
    }

    @Test func ctrlCKeepsTheRowsSoFar() throws {
        var report = Self.report()
        var runs = 0
        try VerifyRunner.runSequence(&report, search: VerifySearch(mode: .converge), retry: true, interrupted: { runs == 2 }, say: { _ in }) { plan, step, _ in
            runs += 1
            return Self.run(plan, step: step, build: FakeBuild(need: 4 << 30))
        }
        #expect(report.attempts.count == 2)
        #expect(report.verdict == .tooTight)
        #expect(report.convergence?.stoppedBecause == nil)
        #expect(VerifyRenderer.text(report).contains("Stopped after 2 of at most 5 runs: interrupted"))
    }

    @Test func noRetryRunsThePlanOnlyAndProposesTheCorrection() throws {
        var report = Self.report()
        try VerifyRunner.runSequence(&report, search: VerifySearch(mode: .converge, maxTries: 1), retry: false, interrupted: { false }, say: { _ in }) { plan, step, _ in
            Self.run(plan, step: step, build: FakeBuild(need: 4 << 30))
        }
        #expect(report.attempts.count == 1)
        #expect(report.corrected?.memoryMaxBytes == 720 * mib)
        #expect(report.correctedVerdict == nil)
        #expect(report.convergence?.stoppedBecause == "--no-retry: one run only")
    }

    @Test func afterAHeapOOMLaterRunsKeepTheLargerHeap() throws {
        var report = Self.report()
        try VerifyRunner.runSequence(&report, search: VerifySearch(mode: .converge), retry: true, interrupted: { false }, say: { _ in }) { plan, step, _ in
            Self.run(plan, step: step, build: FakeBuild(need: 500 * mib), heapOOMBelow: 300 * mib)
        }
        #expect(report.attempts.map(\.figures.exitStatus) == [33, 0])
        #expect(report.attempts[1].options.first == "startup --host_jvm_args=-Xmx356m")
        #expect(report.attempts[1].limits.memoryMaxBytes == 720 * mib)
        #expect(report.correctedMaxHeapBytes == 356 * mib)
    }
}
