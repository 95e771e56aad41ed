import Foundation
import Testing
import HeadroomKit

/// Where the Bazel under test is installed.
private let traceProfileBazel = "/usr/bin/bazel"

/// A profile written by the Bazel installed on this machine (Debian's 4.2.3 at the time of
/// writing), from a `build --nobuild` of a one-genrule workspace.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: traceProfileBazel), "bazel is not installed"))
struct TraceProfileRealBazelTests {
    static let bazel = traceProfileBazel

    @Test func profileOfANoBuildRun() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The output base sits beside the workspace, not in it, or `//...` would walk into it.
        let workspace = directory.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data().write(to: workspace.appendingPathComponent("WORKSPACE"))
        try Data(#"genrule(name = "g", outs = ["o.txt"], cmd = "echo hi > $@")"#.utf8).write(to: workspace.appendingPathComponent("BUILD"))
        let outputBase = "--output_base=" + directory.appendingPathComponent("ob").path
        let profile = directory.appendingPathComponent("p.json.gz").path
        let status = SpawnedProcess.run(Self.bazel, [outputBase, "build", "--nobuild", "//...", "--profile=" + profile], in: workspace)
        _ = SpawnedProcess.run(Self.bazel, [outputBase, "shutdown"], in: workspace)
        // Make the files the server left writable again so the directory can be removed.
        _ = SpawnedProcess.run("/bin/chmod", ["-R", "u+w", directory.path])
        #expect(status == 0)

        let summary = try TraceProfileReader.read(path: profile)
        #expect(!summary.partial && summary.syntaxError == nil)
        #expect(summary.hasTopLevelObject)
        #expect(summary.outputBase == directory.appendingPathComponent("ob").path)
        #expect(summary.buildID != nil && summary.date != nil)
        #expect(summary.counts.malformed == 0 && summary.counts.unknownPhase == 0)
        #expect(summary.counts.byPhase["X", default: 0] > 0)
        // With --nobuild there is no preparation or execution phase.
        let names = summary.phases.map(\.name)
        #expect(names.starts(with: ["Launch Blaze", "Initialize command", "Evaluate target patterns", "Load and analyze dependencies"]))
        #expect(names.last == "Complete build")
        #expect(summary.analysisPhase != nil)
        #expect(!names.contains("Build artifacts") && summary.executionPhase == nil)
        #expect(summary.phases.allSatisfy { ($0.durationMicros ?? -1) >= 0 })
        // 4.x names its CPU series `cpu counters` (args.cpu, a string) and writes no memory
        // counters; with no actions run there is no action series either.
        #expect(summary.counters.bazelMemoryMB == nil && summary.counters.systemMemoryMB == nil)
        #expect(summary.bazelMemorySeries.isEmpty)
        if summary.bazelVersion == nil {
            #expect((summary.counters.bazelCPU?.samples ?? 0) >= 1)
            #expect(summary.counters.otherNames.isEmpty)
        }
        let pauses = summary.gcPauses.minor.count + summary.gcPauses.major.count
        #expect(summary.phases.map(\.gcPauseCount).reduce(0, +) <= pauses)
        print("bazel \(summary.bazelVersion ?? "4.x (no bazel_version)"): phases \(names), events \(summary.counts.events) \(summary.counts.byPhase), cpu samples \(summary.counters.bazelCPU?.samples ?? 0), GC minor \(summary.gcPauses.minor.count) major \(summary.gcPauses.major.count)")
    }
}
