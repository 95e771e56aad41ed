import Foundation
import Testing
import HeadroomKit

/// `review` verdicts a reviewer can act on: a raise from a failing heap is never a plain "no",
/// an explicit heap far above the evidence is, and a diff's `try-import` lines resolve in the
/// workspace.
@Suite struct HeapReviewTests {
    /// A 256m server that thrashed and died with exit 33, its live set pinned at the ceiling.
    static func failingHeap() -> Facts {
        var facts = Facts()
        facts.heap.configuredMax = .mib(256)
        facts.liveSet.peak = .mib(253)
        facts.bazel.outOfMemoryExit = Sourced(true, source: "record.json: exit status 33")
        facts.gc.occupancyAfterFullGC = Sourced(0.99, source: "gc.log")
        facts.liveSet.isLowerBound = Sourced(true, source: "the heap stayed full")
        facts.host.memory = .gib(24)
        return facts
    }

    static func review(_ proposal: String, _ facts: Facts) throws -> ReviewVerdict {
        let analysis = AnalysisReport.make(facts: facts, version: "test")
        return HeapReview.review(try ProposedChange.rcLines([proposal]), analysis: analysis)
    }

    @Test func aRaiseFromAFailingHeapThatTheEvidenceCannotYetSizeIsRaiseTooSmall() throws {
        let verdict = try Self.review("startup --host_jvm_args=-Xmx512m", Self.failingHeap())
        #expect(verdict.verdict == .raiseTooSmall)
        #expect(verdict.verdict.exitStatus == .reviewRaiseTooSmall)
        #expect(verdict.reasons.joined().contains("at least -Xmx768m"))
        #expect(verdict.reasons.joined().contains("lower bound"))
    }

    @Test func aRaiseToASizeShownToPassIsJustified() throws {
        var facts = Self.failingHeap()
        facts.liveSet.sweepFloor = .mib(360)
        #expect(try Self.review("startup --host_jvm_args=-Xmx512m", facts).verdict == .justified)
        #expect(try Self.review("startup --host_jvm_args=-Xmx300m", facts).verdict == .raiseTooSmall)
    }

    @Test func anExplicitHeapFarAboveTheEvidenceIsNotJustifiedWhateverTheDefaultWas() throws {
        var facts = Facts()
        facts.heap.effectiveMax = Sourced(6_320_000_000, source: "bazel info max-heap-size (the JVM's default: 25 % of RAM)")
        facts.liveSet.peak = .mib(150)
        facts.host.memory = .gib(24)
        let verdict = try Self.review("startup --host_jvm_args=-Xmx4g", facts)
        #expect(verdict.verdict == .notJustified)
        #expect(verdict.supportedMaxHeapBytes == 512 * ByteSize.mib)
        #expect(try Self.review("startup --host_jvm_args=-Xmx512m", facts).verdict == .justified)
    }

    @Test func aDiffsTryImportResolvesInTheWorkspaceAndMissingImportsAreSaid() throws {
        let workspace = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        try "startup --host_jvm_args=-Xmx2g\n".write(to: workspace.appendingPathComponent(".bazelrc.memory"), atomically: true, encoding: .utf8)
        let diff = """
            diff --git a/.bazelrc b/.bazelrc
            --- a/.bazelrc
            +++ b/.bazelrc
            @@ -1,2 +1,3 @@
             try-import %workspace%/.bazelrc.memory
             try-import %workspace%/.bazelrc.user
            +startup --host_jvm_args=-Xmx3g
            """
        let change = try ProposedChange.unifiedDiff(diff, name: "raise.diff", workspace: workspace.path)
        #expect(change.before?.maxHeapBytes?.value == 2 * ByteSize.gib)
        #expect(change.after.maxHeapBytes?.value == 3 * ByteSize.gib)
        #expect(change.unreadImports.contains { $0.hasSuffix(".bazelrc.user") })
        #expect(throws: (any Error).self) { try ProposedChange.unifiedDiff(diff, name: "raise.diff") }
    }

    /// Every ground-truth case: a raise on a case that ran out of heap is never not-justified.
    @Test func aRaiseOnATruthCaseThatRanOutOfHeapIsNeverRefused() throws {
        for truth in try TruthCase.all() where truth.truth.exitStatus == 33 {
            let analysis = AnalysisReport.make(truth.inputs, version: "test")
            let current = try #require(analysis.facts.heap.max?.value)
            let raise = "startup --host_jvm_args=-Xmx\(ByteSize.jvmArgument(current * 2))"
            let verdict = HeapReview.review(try ProposedChange.rcLines([raise]), analysis: analysis)
            #expect(verdict.verdict == .justified || verdict.verdict == .raiseTooSmall, "\(truth.name): \(verdict.verdict) \(verdict.reasons)")
        }
    }
}
