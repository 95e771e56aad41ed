import Foundation
import Testing
import HeadroomKit

/// A plan is a fixed point: record a command, apply the plan, record again — the second plan
/// changes no heap and asks for no option the server already runs with. Real Bazel, real
/// recordings in a memory cgroup of record's own.
@Suite(.serialized, .enabled(if: recordInCgroupUnavailable == nil, "\(recordInCgroupUnavailable ?? "")"))
struct PlanFixedPointTests {
    static func record(_ command: [String], bundle: String, in workspace: URL) throws -> AnalysisReport {
        let status = SpawnedProcess.run(builtHeadroom, ["record", "--quiet", "--interval", "100ms", "--out", bundle, "--"] + command, in: workspace)
        #expect(status == 0, "record of \(command) exited \(status)")
        var inputs = EvidenceInputs()
        inputs.bundles = [bundle]
        return AnalysisReport.make(inputs, version: "test")
    }

    @Test func applyingThePlanAndRecordingAgainChangesNothing() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, flags) = try RecordInCgroupTests.workspace(in: root)
        let outputBase = "--output_base=\(root.appendingPathComponent("ob").path)"
        let bazel = installedBazel!
        defer { _ = SpawnedProcess.run(bazel, [outputBase, "shutdown"], in: workspace) }
        let arguments = ["test"] + flags + ["--nocache_test_results", "//memtests:all"]

        let first = try Self.record([bazel, outputBase, "--host_jvm_args=-Xmx2g"] + arguments, bundle: root.appendingPathComponent("first").path, in: workspace)
        let firstLimit = try #require(first.plan.cgroup?.limits.memoryMaxBytes, "the first plan sets no limit")
        // Apply it: every startup option the plan names, as the .bazelrc fragment would.
        let startup = first.plan.allSettings.map(\.setting).filter { $0.scope == .startup }.map(\.argument)
        #expect(startup.contains { $0.contains("-Xmx") }, "the 2g heap for a small live set is lowered: \(startup)")
        let second = try Self.record([bazel, outputBase] + startup + arguments, bundle: root.appendingPathComponent("second").path, in: workspace)

        #expect(second.plan.heap == nil || second.plan.heap?.action == .pin, "the second plan changes the heap again: \(String(describing: second.plan.heap))")
        let again = second.plan.allSettings.map(\.setting).filter { $0.scope == .startup }.map(\.argument)
        #expect(Set(again).isDisjoint(with: startup), "the second plan asks again for what the server already runs with: \(again)")
        // Both plans set a limit. That it stays within one rounding step is not yet true: on this
        // machine it moved by 0 to 320 MiB between two recordings of the same command (the tests'
        // and the cgroup's measured peaks vary from run to run), so it is not asserted here.
        #expect(second.plan.cgroup?.limits.memoryMaxBytes != nil && firstLimit > 0)
    }
}
