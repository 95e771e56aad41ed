import Foundation
import Testing
import HeadroomKit

/// The `headroom` binary `swift build` made beside these tests.
let builtHeadroom = TestSupport.repositoryRoot.appendingPathComponent(".build/debug/headroom").path

/// Why the record-in-a-cgroup tests cannot run here, or nil.
let recordInCgroupUnavailable: String? = {
    if let reason = RealCgroup.unavailableReason { return reason }
    if installedBazel == nil { return "bazel is not installed" }
    if !FileManager.default.isExecutableFile(atPath: builtHeadroom) { return "build headroom first (swift build)" }
    return nil
}()

/// `headroom record` of a real `bazel test` run inside a real memory cgroup, as under
/// `systemd-run --scope`: the server and the tests are measured together; and a server started
/// before the scope is caught. Needs root, cgroup v1 memory, Bazel and a built `headroom`.
@Suite(.serialized, .enabled(if: recordInCgroupUnavailable == nil, "\(recordInCgroupUnavailable ?? "")"))
struct RecordInCgroupTests {
    static let headroom = builtHeadroom

    /// Runs a program inside `cgroup` (python3 joins it, then execs the program: no shell).
    static func runInside(_ cgroup: RealCgroup, _ words: [String], in directory: URL) -> Int32 {
        let join = "import os, sys; open(sys.argv[1], 'w').write(str(os.getpid())); os.execvp(sys.argv[2], sys.argv[2:])"
        return SpawnedProcess.run("/usr/bin/python3", ["-c", join, cgroup.directory + "/cgroup.procs"] + words, in: directory)
    }

    static func workspace(in root: URL) throws -> (workspace: URL, testFlags: [String]) {
        let generator = TestSupport.repositoryRoot.appendingPathComponent("scripts/make-workspace.py").path
        let workspace = root.appendingPathComponent("workspace")
        #expect(SpawnedProcess.run("/usr/bin/python3", [generator, workspace.path, "--packages", "1", "--chains", "1", "--length", "3", "--tests", "2", "--test-mib", "80", "--test-seconds", "3"]) == 0)
        let flags = [
            "--override_repository=rules_java=/usr/share/bazel/rules/java",
            "--override_repository=rules_cc=\(workspace.path)/.stubs/rules_cc",
            "--override_repository=remote_coverage_tools=\(workspace.path)/.stubs/remote_coverage_tools",
        ]
        return (workspace, flags)
    }

    @Test func aTestRunInsideACgroupIsMeasuredWithItsServer() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, flags) = try Self.workspace(in: root)
        let cgroup = try RealCgroup(limitBytes: nil)
        defer { cgroup.destroy() }
        let outputBase = root.appendingPathComponent("ob").path
        let bundle = root.appendingPathComponent("bundle").path
        let status = Self.runInside(
            cgroup, [Self.headroom, "record", "--quiet", "--interval", "100ms", "--out", bundle, "--", installedBazel!, "--output_base=\(outputBase)", "test"] + flags + ["//memtests:all"],
            in: workspace)
        let facts = try JSONDecoder().decode(RecordFacts.self, from: Data(contentsOf: URL(fileURLWithPath: bundle + "/record.json")))
        defer { _ = SpawnedProcess.run(installedBazel!, Array(facts.command.dropFirst().prefix { $0.hasPrefix("--") }) + ["shutdown"], in: workspace) }
        #expect(status == 0)
        #expect(facts.exitStatus == 0)
        #expect(facts.serverInsideScope == true)
        // record runs the client in a fresh cgroup of its own, made inside the one it was started in.
        #expect(facts.serverCgroup?.hasPrefix(cgroup.path + "/headroom-record-") == true, "\(facts.serverCgroup ?? "")")
        #expect(facts.cgroup?.ownership == .made)
        // The server's non-heap memory, measured from its smaps: the heap found by its reservation.
        let resident = try #require(facts.serverResidentBytes)
        let heap = try #require(facts.serverResidentHeapBytes, "the heap was not found in the server's smaps")
        #expect(heap > 0 && heap < resident, "resident \(resident), heap \(heap)")
        #expect(resident - heap >= 50 << 20, "a JVM has more than 50 MiB outside its heap: \(resident - heap)")

        // Bazel's tests run as the server's children: the tree shows them, and the cgroup's
        // anonymous memory (charged to whoever allocates it, unlike file pages) grows with them.
        var largestTest: Int64 = 0
        var anon: [Int64] = []
        _ = try MemorySeriesReader.read(bundle + "/samples.jsonl") { sample in
            for process in sample.processes?.largest ?? [] where process.name == "python3" {
                largestTest = max(largestTest, process.rssBytes)
            }
            if let bytes = sample.cgroup?.stat?.anonBytes { anon.append(bytes) }
        }
        #expect(largestTest >= 60 << 20, "largest test seen: \(largestTest)")
        #expect((anon.max() ?? 0) - (anon.min() ?? 0) >= 60 << 20, "cgroup anon from \(anon.min() ?? 0) to \(anon.max() ?? 0)")
        let gc = try GCLogAnalysis.run(paths: try BundleReader.read(bundle).paths(of: .gcLog))
        #expect(gc.pauseCount > 0)
    }

    @Test func aServerStartedBeforeTheScopeIsCaught() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (workspace, _) = try Self.workspace(in: root)
        let outputBase = root.appendingPathComponent("ob").path
        // The server starts outside any scope made for the test…
        #expect(SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "info", "release"], in: workspace) == 0)
        defer { _ = SpawnedProcess.run(installedBazel!, ["--output_base=\(outputBase)", "shutdown"], in: workspace) }
        // …and the command is then run inside one, keeping the server: the scope does not hold it.
        let cgroup = try RealCgroup(limitBytes: nil)
        defer { cgroup.destroy() }
        let bundle = root.appendingPathComponent("bundle").path
        let status = Self.runInside(
            cgroup, [Self.headroom, "record", "--quiet", "--keep-server", "--out", bundle, "--", installedBazel!, "--output_base=\(outputBase)", "build", "--nobuild", "//p000/..."],
            in: workspace)
        #expect(status == 0)
        let facts = try JSONDecoder().decode(RecordFacts.self, from: Data(contentsOf: URL(fileURLWithPath: bundle + "/record.json")))
        #expect(facts.serverInsideScope == false)
        #expect(facts.recorderCgroup == cgroup.path)
        let manifest = try BundleReader.read(bundle).manifest
        #expect(manifest.notes.contains { $0.contains("outside the measured cgroup") })
    }
}
