import Foundation
import Testing
import HeadroomKit

/// The rules engine end to end, on Corpus cases recorded from real runs.
@Suite struct ScenarioTests {
    static func path(_ relative: String) -> String { TestSupport.corpus.appendingPathComponent(relative).path }

    /// The 14 GB story: analysis ~500 MiB, execution growth to 1.5 GiB, `-Xmx14g`, remote
    /// execution with 200 jobs.
    static func story(release: String) -> AnalysisReport {
        var inputs = EvidenceInputs()
        inputs.analysisGCLogs = [path("g1-analysis-live-500m/gc.log")]
        inputs.gcLogs = [path("g1-execution-growth-14g/gc.log")]
        inputs.bazelrcFiles = [path("remote-14g-story/team.bazelrc")]
        inputs.bazelVersion = release
        return AnalysisReport.make(inputs, version: "test")
    }

    @Test func theFourteenGigabyteStory() throws {
        let report = Self.story(release: "6.4.0")
        let heap = try #require(report.plan.heap)
        #expect(heap.action == .lower)
        #expect(heap.currentBytes == 14 << 30)
        let target = try #require(heap.targetBytes)
        #expect(target * 5 <= (14 << 30) * 2, "far smaller than 14 GiB (40 % at most): \(target)")
        // Never below what the execution phase keeps (1.5 GiB live by design).
        #expect(target >= 1536 << 20)
        let arguments = report.plan.allSettings.map(\.setting.argument)
        #expect(arguments.contains("--experimental_remote_merkle_tree_cache"))
        #expect(arguments.contains("--experimental_remote_discard_merkle_trees"))
        #expect(report.findings.contains { $0.rule == "remote.merkle-tree-memory" })

        let diff = try String(contentsOfFile: Self.path("remote-14g-story/raise-heap.diff"), encoding: .utf8)
        let review = HeapReview.review(try ProposedChange.unifiedDiff(diff), analysis: report)
        #expect(review.verdict == .notJustified)
        #expect(review.currentMaxHeapBytes == 8 << 30)
        #expect(review.proposedMaxHeapBytes == 14 << 30)
        #expect(review.supportedMaxHeapBytes == target)
    }

    @Test func theSameEvidenceForBazel9HasNoRemovedFlag() {
        let report = Self.story(release: "9.0.0")
        for item in report.plan.allSettings {
            #expect(BazelFlagTable.availability(of: item.setting.flag, in: .version(9, 0, 0)).isUsable, "\(item.setting.argument)")
        }
        let fragment = BazelrcFragmentRenderer.render(report)
        for removed in ["experimental_remote_merkle_tree_cache", "local_ram_resources", "local_cpu_resources", "experimental_oom_more_eagerly_threshold"] {
            #expect(!fragment.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains(removed) }, "\(removed)")
        }
        #expect(report.findings.contains { $0.rule == "remote.merkle-tree-memory" && $0.summary.contains("9.0") })
    }

    @Test func aLeakingJVMIsRefusedMoreHeap() throws {
        var inputs = EvidenceInputs()
        inputs.gcLogs = [Self.path("g1-leak")]
        let report = AnalysisReport.make(inputs, version: "test")
        #expect(report.plan.heap?.action == .hold)
        let leak = try #require(report.findings.first { $0.rule == "heap.leak-suspected" })
        #expect(leak.settings.contains { $0.flag == "heap_dump_on_oom" })
        let review = HeapReview.review(try ProposedChange.rcLines(["startup --host_jvm_args=-Xmx2g"]), analysis: report)
        #expect(review.verdict == .notJustified)
        #expect(review.reasons.contains { $0.contains("heap.leak-suspected") })
    }

    @Test func aHeapJustAboveItsLiveSetIsRaised() throws {
        // A real JVM whose retained set grew in a 128 MiB heap until OutOfMemoryError.
        var inputs = EvidenceInputs()
        inputs.gcLogs = [Self.path("g1-thrash-oom")]
        let report = AnalysisReport.make(inputs, version: "test")
        let heap = try #require(report.plan.heap)
        #expect(heap.action == .raise)
        #expect(heap.currentBytes == 128 << 20)
        let target = try #require(heap.targetBytes)
        #expect(target >= 192 << 20, "at least 1.5× the old heap: \(target)")
        #expect(report.findings.contains { $0.rule == "heap.thrashing" })
        let review = HeapReview.review(try ProposedChange.rcLines(["startup --host_jvm_args=-Xmx\(ByteSize.jvmArgument(target))"]), analysis: report)
        #expect(review.verdict == .justified)
        let tooLittle = HeapReview.review(try ProposedChange.rcLines(["startup --host_jvm_args=-Xmx140m"]), analysis: report)
        // Too small a raise from a failing heap still goes the right way: not a "no".
        #expect(tooLittle.verdict == .raiseTooSmall)
    }

    @Test func aTooSmallMemoryMaxAndAServerOutsideTheScope() throws {
        // Two real recordings: tests killed by the kernel in a 400 MiB cgroup holding the server
        // and two 120 MiB tests; and a server started before the scope it was meant to be in.
        var inputs = EvidenceInputs()
        inputs.bundles = [Self.path("bazel-test-oom-kill/bundle"), Self.path("bazel-server-outside-scope/bundle")]
        inputs.oomReports = [Self.path("bazel-test-oom-kill/kernel.log")]
        let report = AnalysisReport.make(inputs, version: "test")
        let killed = try #require(report.findings.first { $0.rule == "oom.test-killed" })
        #expect(killed.summary.contains("limit") || killed.detail.contains("limit"))
        #expect(report.facts.oomKills.count == 1)
        #expect(report.facts.oomKills.first?.constraint == .memcg)
        let limits = try #require(report.plan.cgroup).limits
        // Room for the 512 MiB heap, the server's non-heap memory and both tests: well above the
        // 400 MiB that killed a test.
        #expect(limits.memoryMaxBytes > 400 << 20 + 2 * (120 << 20))
        #expect(limits.memorySwapMaxBytes == 0)
        let outside = try #require(report.findings.first { $0.rule == "cgroup.server-outside-scope" })
        #expect(outside.severity == .critical)
        #expect(report.plan.commands.first == "bazel shutdown")
    }

    @Test func aRealBazelServerThrashingJustAboveItsLiveSetIsRaised() throws {
        // A real `bazel build --nobuild` at -Xmx32m on a workspace whose analysis keeps ~28 MiB.
        var inputs = EvidenceInputs()
        inputs.bundles = [Self.path("bazel-analysis-thrashing/bundle")]
        let report = AnalysisReport.make(inputs, version: "test")
        #expect(report.facts.heap.configuredMax?.value == 32 << 20)
        #expect((report.facts.gc.timeFraction?.value ?? 0) > 0.10)
        let heap = try #require(report.plan.heap)
        #expect(heap.action == .raise)
        let target = try #require(heap.targetBytes)
        #expect(target >= 48 << 20, "at least 1.5× the heap that thrashed")
        #expect(heap.basis.contains("28.0 MiB"), "the raise says how it was worked out: \(heap.basis)")
    }
}
