import Foundation
import Testing
import HeadroomKit

/// The Bazel binary the integration tests run, when one is installed.
let installedBazel = ["/usr/bin/bazel", "/usr/local/bin/bazel"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Sampling a real Bazel server in a throwaway workspace: found from its output base, followed
/// across a restart (new startup options), ended cleanly when it shuts down.
@Suite(.serialized, .enabled(if: installedBazel != nil, "bazel is not installed"))
struct BazelServerSamplingTests {
    static let bazel = installedBazel

    /// Runs bazel with arguments (never a shell string) in `workspace`; returns its exit status.
    @discardableResult
    static func bazel(_ arguments: [String], in workspace: URL) throws -> Int32 {
        SpawnedProcess.run(bazel!, arguments, in: workspace)
    }

    @Test func aServerIsSampledAndFollowedAcrossARestart() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appendingPathComponent("workspace")
        let outputBase = root.appendingPathComponent("output-base").path
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent("WORKSPACE"))
        let startup = ["--output_base=\(outputBase)"]
        defer { _ = try? Self.bazel(startup + ["shutdown"], in: workspace) }
        #expect(try Self.bazel(startup + ["info", "release"], in: workspace) == 0)

        let sampler = MemorySampler(target: .bazelServer(BazelServerLocator(outputBase: outputBase)))
        try sampler.prepare()
        guard case .success(let first) = sampler.take() else {
            Issue.record("no first sample")
            return
        }
        let firstPID = try #require(first.processes?.rootPID)
        #expect(first.processes?.largest.first?.name == "java")
        #expect((first.processes?.rssBytes ?? 0) > 50 << 20)

        // New startup options restart the server; the sampler follows it to its new PID.
        #expect(try Self.bazel(["--output_base=\(outputBase)", "--host_jvm_args=-Xmx300m", "info", "release"], in: workspace) == 0)
        guard case .success(let second) = sampler.take() else {
            Issue.record("no sample after the restart")
            return
        }
        #expect(second.processes?.rootPID != firstPID)
        #expect(sampler.notes.contains { $0.contains("restarted") })

        #expect(try Self.bazel(["--output_base=\(outputBase)", "--host_jvm_args=-Xmx300m", "shutdown"], in: workspace) == 0)
        guard case .success(let gap) = sampler.take() else {
            Issue.record("the sampler stopped at once instead of waiting for a restart")
            return
        }
        #expect(gap.processes == nil)
    }
}
