import Foundation
import Testing
import HeadroomKit

/// The promises a limit makes, checked over every rule example and every Corpus case: never
/// below the measured peak of server and tests, never below a limit that was seen to kill,
/// lean otherwise, and one heap direction per plan.
@Suite struct MemoryModelInvariantTests {
    /// One set of facts to plan from, named for the failure message.
    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        var facts: Facts
        var description: String { name }
    }

    static func scenarios() -> [Scenario] {
        var scenarios = RuleRegistry.allExamples.map { Scenario(name: $0.description, facts: $0.example.facts) }
        for corpusCase in EveryFormatTests.cases() {
            scenarios.append(Scenario(name: "Corpus \(corpusCase.name)", facts: AnalysisReport.make(corpusCase.inputs, version: "test").facts))
        }
        for truth in (try? TruthCase.all()) ?? [] {
            scenarios.append(Scenario(name: "truth \(truth.name)", facts: AnalysisReport.make(truth.inputs, version: "test").facts))
        }
        return scenarios
    }

    @Test(arguments: scenarios())
    func theLimitKeepsItsPromises(_ scenario: Scenario) throws {
        let report = AnalysisReport.make(facts: scenario.facts, version: "test")
        let raises = report.findings.filter { $0.heap?.action == .raise }
        let lowers = report.findings.filter { $0.heap?.action == .lower }
        #expect(raises.isEmpty || lowers.isEmpty, "both directions: \(raises.map(\.rule)) and \(lowers.map(\.rule))")
        guard let limits = report.plan.cgroup?.limits else { return }
        let model = try #require(MemoryModel(report.facts), "a limit without a memory model")
        #expect(limits.memoryMaxBytes == model.memoryMax || limits.memoryMaxBytes >= model.floor, "the limit is not the model's")
        // The floors, worked out here from the facts, not taken from the model under test.
        let facts = report.facts
        var measured: [Int64] = []
        if facts.cgroup.ownedByCommand?.value == true, let peak = facts.cgroup.peak { measured.append(peak.value) }
        if let tree = facts.cgroup.treePeak { measured.append(tree.value) } else if let rss = facts.server.rssPeak {
            measured.append(rss.value + (facts.cgroup.testsPeak?.value ?? 0))
        }
        for peak in measured {
            #expect(limits.memoryMaxBytes >= peak, "MemoryMax \(limits.memoryMaxBytes) below the measured peak \(peak)")
        }
        var killedAt = facts.oomKills.filter { $0.constraint == .memcg }.compactMap { $0.limitBytes ?? facts.cgroup.limit?.value }
        if let limit = facts.cgroup.limit?.value, facts.server.died?.value == true || (facts.cgroup.oomKills?.value ?? 0) > 0 { killedAt.append(limit) }
        for limit in killedAt {
            let bumped = max(limit + 100 * ByteSize.mib, Int64(1.2 * Double(limit)))
            #expect(limits.memoryMaxBytes >= bumped, "MemoryMax \(limits.memoryMaxBytes) below the bump of a limit that killed, \(limit)")
        }
        if let limit = facts.cgroup.limit?.value, facts.bazel.outOfMemoryExit?.value == true {
            #expect(limits.memoryMaxBytes >= limit, "MemoryMax \(limits.memoryMaxBytes) below a limit under which Bazel ran out of heap")
        }
        // Lean: no more than 1.35 × the need, unless what was measured (a peak, a kill) says more.
        let lean = Int64(1.35 * Double(model.need)) + MemoryModel.roundingStep
        #expect(limits.memoryMaxBytes <= max(lean, model.floor), "MemoryMax \(limits.memoryMaxBytes) above 1.35 × need \(model.need)")
    }

    @Test func aLimitThatKilledTestsIsRaisedByTheVPABump() {
        var facts = Facts()
        facts.heap.configuredMax = .mib(256)
        facts.cgroup.limit = .mib(600)
        facts.host.memory = Sourced(600 * ByteSize.mib, source: "a JVM header misread as RAM")
        facts.oomKills = [
            OOMKillFact(classification: .testOrAction, constraint: .memcg, limitBytes: 600 * ByteSize.mib, source: "kernel.log:1"),
            OOMKillFact(classification: .testOrAction, constraint: .memcg, limitBytes: 600 * ByteSize.mib, source: "kernel.log:9"),
        ]
        let limits = AnalysisReport.make(facts: facts, version: "test").plan.cgroup?.limits
        #expect((limits?.memoryMaxBytes ?? 0) >= 720 * ByteSize.mib)
    }

    @Test func aServerKilledAtTheLimitGetsMoreNotLess() {
        var facts = Facts()
        facts.heap.configuredMax = .mib(256)
        facts.server.nonHeapOverhead = .mib(130)
        facts.cgroup.limit = .mib(450)
        facts.server.died = Sourced(true, source: "record.json: serverDied")
        let limits = AnalysisReport.make(facts: facts, version: "test").plan.cgroup?.limits
        #expect((limits?.memoryMaxBytes ?? 0) >= 550 * ByteSize.mib)
    }

    @Test func aRunThatHeldIsNeverPlannedBelowItsOwnPeak() {
        var facts = Facts()
        facts.heap.configuredMax = .mib(256)
        facts.server.nonHeapOverhead = .mib(130)
        facts.cgroup.limit = .mib(700)
        facts.cgroup.peak = .mib(630)
        facts.cgroup.ownedByCommand = Sourced(true, source: "record.json")
        let limits = AnalysisReport.make(facts: facts, version: "test").plan.cgroup?.limits
        #expect((limits?.memoryMaxBytes ?? 0) >= Int64(630 * 1.15 * Double(ByteSize.mib)))
    }

    @Test func theJVMsMemoryLineIsNotHostRAM() throws {
        var builder = FactsBuilder()
        var summary = GCLogSummary()
        summary.hostMemoryBytes = 600 * ByteSize.mib
        builder.addGCLog(summary)
        var host = BundleManifest.Host()
        host.memoryBytes = 24 * 1024 * ByteSize.mib
        builder.addHost(host, source: "bundle.json")
        let facts = builder.finish()
        #expect(facts.host.memory?.value == 24 * 1024 * ByteSize.mib)
        #expect(facts.cgroup.limit?.value == 600 * ByteSize.mib, "a JVM that saw less than the host saw a limit")
    }
}

/// One figure, one routine: the GC time `verify` compares is the GC time `analyze` shows.
@Suite struct OneRoutinePerFigureTests {
    @Test func verifyAndAnalyzeReadTheSameGCTimeFromABundle() throws {
        let cases = try TruthCase.all().filter { FileManager.default.fileExists(atPath: $0.folder.appendingPathComponent("bundle/gc.log").path) }
        #expect(!cases.isEmpty)
        for truth in cases {
            let bundle = truth.folder.appendingPathComponent("bundle").path
            var figures = VerifyReport.Figures()
            VerifyRunner.addGCFigures(from: try BundleReader.read(bundle), to: &figures)
            var inputs = EvidenceInputs()
            inputs.bundles = [bundle]
            let analyzed = AnalysisReport.make(inputs, version: "test").facts.gc.timeFraction?.value
            #expect(figures.gcTimeFraction == analyzed, "\(truth.name): verify \(figures.gcTimeFraction ?? -1), analyze \(analyzed ?? -1)")
        }
    }
}
