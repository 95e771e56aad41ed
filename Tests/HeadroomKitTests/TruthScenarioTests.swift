import Foundation
import Testing
import HeadroomKit

/// The ground-truth Corpus cases: each analyses, and the bundle's own figures agree with what
/// the generating script knew (exit status, kernel kills, the cgroup's peak, the tree's peak).
@Suite struct TruthScenarioTests {
    static let cases = (try? TruthCase.all()) ?? []

    @Test func theCorpusHasTruthCases() throws {
        let cases = try TruthCase.all()
        #expect(cases.count >= 7, "\(cases.map(\.name))")
    }

    @Test(arguments: cases) func theBundleAgreesWithItsTruth(_ truthCase: TruthCase) throws {
        let truth = truthCase.truth
        let loaded = EvidenceLoader.load(truthCase.inputs)
        let report = AnalysisReport.make(facts: loaded.facts, problems: loaded.problems)
        #expect(!report.facts.inputs.isEmpty, "\(truthCase): nothing read")
        #expect(truth.passed == (truth.exitStatus == 0))
        #expect(truth.kernelKills == truth.killVictims.count)
        #expect((report.facts.bazel.outOfMemoryExit?.value ?? false) == (truth.exitStatus == 33))
        // Kills: the kernel's reports in kernel.log, one per kill the cgroup counted.
        #expect(report.facts.oomKills.count == truth.kernelKills, "\(truthCase): \(report.facts.oomKills)")
        #expect(report.facts.oomKills.filter { $0.classification == .bazelServer }.count == truth.killVictims.filter { $0 == "server" }.count)

        guard truth.values["bundle"] == nil else { return }  // a case that points at another's bundle
        let record = try #require(truthCase.record)
        #expect(record.exitStatus == truth.exitStatus)
        #expect(record.cgroup?.ownership.rawValue == truth.cgroupOwnership)
        #expect(report.facts.cgroup.ownedByCommand?.value == (truth.cgroupOwnership != "shared"))
        if truth.cgroupOwnership != "shared", let kills = record.cgroup?.oomKills {
            #expect(Int(kills) == truth.kernelKills)
        }
        if let expected = truth.cgroupPeakBytes {
            // The sampled peak of the cgroup the server ran in; record's own cgroup is a child of
            // the script's (it also holds record itself), hence a few per cent.
            let peak = try #require(report.facts.cgroup.peak?.value)
            #expect(abs(Double(peak - expected)) <= 0.05 * Double(expected), "\(truthCase): cgroup peak \(peak) against \(expected)")
        }
        if let expected = truth.limitBytes {
            #expect(report.facts.cgroup.limit?.value == expected)
        }
        if let expected = truth.treePeakBytes {
            let peak = try #require(report.facts.cgroup.treePeak?.value)
            #expect(abs(Double(peak - expected)) <= 0.05 * Double(expected), "\(truthCase): tree peak \(peak) against \(expected)")
        }
        if let xmx = truth.xmxBytes { #expect(report.facts.heap.configuredMax?.value == xmx) }
        // A shared cgroup's usage is not the tests': their peak comes from the process tree.
        if truth.cgroupOwnership == "shared", let tests = report.facts.cgroup.testsPeak {
            #expect(tests.value == report.facts.cgroup.treeTestsPeak?.value)
            #expect(report.facts.cgroup.testsBasis?.value.contains("process tree") == true || report.facts.cgroup.testsBasis?.value.contains("descendants") == true)
        }
    }
}

/// `record` runs the command in a fresh memory cgroup of its own, without a limit.
@Suite(.serialized, .enabled(if: installedBazel != nil && RealCgroup.unavailableReason == nil, "needs root, the cgroup v1 memory controller and bazel"))
struct RecordInOwnCgroupTests {
    @Test func aRecordedBuildRunsInItsOwnCgroup() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent("WORKSPACE"))
        try Data("genrule(name = \"a\", outs = [\"a.txt\"], cmd = \"echo hi > $@\")\n".utf8).write(to: workspace.appendingPathComponent("BUILD"))
        let bundle = root.appendingPathComponent("bundle").path
        let command = [installedBazel!, "--output_base=\(root.appendingPathComponent("ob").path)", "build", "//..."]
        let cli = try HeadroomCLI.run(["record", "--quiet", "--interval", "100ms", "--out", bundle, "--"] + command, in: workspace)
        let facts = try JSONDecoder().decode(RecordFacts.self, from: try Data(contentsOf: URL(fileURLWithPath: bundle + "/record.json")))
        defer { _ = SpawnedProcess.run(installedBazel!, Array(facts.command.dropFirst().prefix { $0.hasPrefix("--") }) + ["shutdown"], in: workspace) }
        #expect(cli.status == 0, "\(cli)")
        let cgroup = try #require(facts.cgroup)
        #expect(cgroup.ownership == .made)
        #expect(cgroup.own)
        #expect((cgroup.peakBytes ?? 0) > 50 << 20, "the server's start alone charges more than 50 MiB")
        #expect(cgroup.oomKills == 0)
        #expect(facts.serverInsideScope == true)
        #expect(facts.serverCgroup == cgroup.path)
        // Released: the server runs on, the cgroup record made is gone.
        let directory = RealCgroup.v1Root + (cgroup.path ?? "")
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
