import Foundation
import Testing
import HeadroomKit

/// The Bazel server killed (SIGKILL) while `headroom record -- bazel test` runs.
@Suite(.serialized, .enabled(if: MeasuringFaults.realBazelMissing == nil, "\(MeasuringFaults.realBazelMissing ?? "")"))
struct ServerDeathTests {
    @Test func aServerKilledMidTestLeavesAnIncompleteReadableBundle() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try GeneratedWorkspace(in: root, tests: 2, testSeconds: 30)
        defer { workspace.shutdown() }
        let bundle = root.appendingPathComponent("bundle").path
        let recording = try MeasuringFaults.headroom(
            ["record", "--interval", "100ms", "--out", bundle, "--"] + workspace.bazel(["test"] + workspace.testFlags + ["--nocache_test_results", "//memtests:all"]),
            root: root, in: workspace.folder)
        let testsRun = ProcessTable.waitFor(seconds: 90) { table in
            table.using(workspace.outputBase).contains { $0.joinedCommandLine.contains("bytearray") }
        }
        try #require(testsRun, "the tests never started: \(recording.standardError)")
        let server = try #require(BazelServerLocator(outputBase: workspace.outputBase).serverPID())
        kill(pid_t(server), SIGKILL)
        let ended = recording.waitOrKill(seconds: 30)

        let facts = try JSONDecoder().decode(RecordFacts.self, from: Data(contentsOf: URL(fileURLWithPath: bundle + "/record.json")))
        // Bazel's own exit status: its client reports the server's death (37 here).
        #expect(ended == facts.exitStatus.map { .exited($0) } && facts.exitStatus != 0, "\(ended.map(\.description) ?? "still running")")
        #expect(facts.serverDied == true)
        #expect(facts.bazelInfo.isEmpty)
        // No new server was started to answer bazel info.
        #expect(BazelServerLocator(outputBase: workspace.outputBase).serverPID() == nil)
        let manifest = try #require(MeasuringFaults.manifest(bundle))
        #expect(!manifest.complete)
        #expect(manifest.notes.contains { $0.contains("server (PID \(server)) vanished") }, "\(manifest.notes)")
        var serverSamples = 0
        _ = try MemorySeriesReader.read(bundle + "/samples.jsonl") { sample in
            if sample.processes?.rootPID == server { serverSamples += 1 }
        }
        #expect(serverSamples >= 1)
        #expect(recording.standardError.contains("incomplete"), "\(recording.standardError)")

        let (analysed, report) = try MeasuringFaults.analyze(bundle, root: root)
        #expect(analysed == .exited(1), "\(report)")
        #expect(report.contains("the recording did not finish"), "\(report)")
        #expect(report.contains("vanished during the command"), "\(report)")
    }
}

/// A disk that fills while `headroom record` writes its bundle (a small tmpfs).
@Suite(.serialized, .enabled(if: MeasuringFaults.tmpfsUnavailable == nil, "\(MeasuringFaults.tmpfsUnavailable ?? "")"))
struct DiskFullTests {
    @Test func aFullDiskLeavesNothingLookingCompleteAndKeepsTheOldBundle() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let disk = root.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(mount("tmpfs", disk.path, "tmpfs", 0, "size=1m") == 0, "mount: \(String(cString: strerror(errno)))")
        defer { umount2(disk.path, Int32(MNT_DETACH)) }
        // The fake names the test process as its server, so samples are written all along.
        let filler = try FakeBazel(in: root.appendingPathComponent("filler"), behaviour: .fillDisk, serverPID: getpid())
        let quiet = try FakeBazel(in: root.appendingPathComponent("quiet"), behaviour: .succeed, serverPID: getpid())

        // A new bundle on a disk that fills up.
        let fresh = disk.appendingPathComponent("fresh").path
        let first = try MeasuringFaults.headroom(["record", "--interval", "50ms", "--out", fresh, "--", filler.path, "build", "//x"], root: root)
        #expect(first.waitOrKill(seconds: 60) == .exited(3), "\(first.standardError)")
        #expect(first.standardError.contains(fresh + "/"), "\(first.standardError)")
        #expect(first.standardError.contains("No space left on device"), "\(first.standardError)")
        #expect(FileManager.default.fileExists(atPath: fresh))
        #expect(MeasuringFaults.manifest(fresh)?.complete != true)
        let (analysed, report) = try MeasuringFaults.analyze(fresh, root: root)
        #expect(analysed == .exited(1), "\(report)")
        #expect(report.contains("the bundle was cut short"), "\(report)")

        // With room again, a complete bundle; then --force over it on a disk that fills.
        for name in try FileManager.default.contentsOfDirectory(atPath: disk.path) { try FileManager.default.removeItem(at: disk.appendingPathComponent(name)) }
        let kept = disk.appendingPathComponent("kept").path
        let second = try MeasuringFaults.headroom(["record", "--out", kept, "--", quiet.path, "build", "//x"], root: root)
        #expect(second.waitOrKill(seconds: 60) == .exited(0), "\(second.standardError)")
        let complete = try #require(FileManager.default.contents(atPath: kept + "/bundle.json"))
        #expect(MeasuringFaults.manifest(kept)?.complete == true)

        let third = try MeasuringFaults.headroom(["record", "--force", "--interval", "50ms", "--out", kept, "--", filler.path, "build", "//x"], root: root)
        #expect(third.waitOrKill(seconds: 60) == .exited(3), "\(third.standardError)")
        #expect(third.standardError.contains("No space left on device"), "\(third.standardError)")
        #expect(MeasuringFaults.manifest(kept)?.complete != true)
        #expect(FileManager.default.contents(atPath: kept + ".previous/bundle.json") == complete)
        #expect(third.standardError.contains("kept at \(kept).previous"), "\(third.standardError)")
    }
}

/// Ctrl-C (SIGINT to headroom) at each stage of `headroom record`: exit 130 soon, nothing of the
/// command left running (Bazel's server may stay: that is its design), and a bundle that is
/// absent or marked incomplete, never complete.
@Suite(.serialized, .enabled(if: MeasuringFaults.realBazelMissing == nil, "\(MeasuringFaults.realBazelMissing ?? "")"))
struct RecordInterruptTests {
    /// Whether the installed Bazel names no release, so `record` asks for its flags after the
    /// command (a stage of its own to interrupt).
    static let bazelNamesNoRelease: Bool = {
        guard let bazel = installedBazel else { return false }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-version-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try? CommandRunner.run([bazel, "--version"], outputPath: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if case .numbered = BazelIdentity(versionText: text.trimmingCharacters(in: .whitespacesAndNewlines)).release { return false }
        return true
    }()

    /// Records `words` of a fresh workspace, sends SIGINT once `ready` sees its moment (given the
    /// process table, headroom's PID and this workspace's output base), and checks what holds at
    /// every stage; returns the bundle's notes for the stage's own checks.
    func interrupt(_ words: [String], tests: Int = 0, when ready: @escaping (ProcessTable, pid_t, String) -> Bool) throws -> [String] {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try GeneratedWorkspace(in: root, tests: tests, testSeconds: 30)
        defer { workspace.shutdown() }
        let bundle = root.appendingPathComponent("bundle").path
        let command = workspace.bazel(words.first == "test" ? ["test"] + workspace.testFlags + Array(words.dropFirst()) : words)
        let recording = try MeasuringFaults.headroom(["record", "--interval", "100ms", "--out", bundle, "--"] + command, root: root, in: workspace.folder)
        let moment = ProcessTable.waitFor(seconds: 90) { ready($0, recording.pid, workspace.outputBase) }
        try #require(moment, "the moment to interrupt never came: \(recording.standardError)")
        recording.send(SIGINT)
        let sent = Date()
        let ended = recording.waitOrKill(seconds: 30)
        #expect(ended == .exited(130), "\(recording.standardError)")
        #expect(Date().timeIntervalSince(sent) < 15)

        // Nothing of the command is left: no client, no test, no action (the server may stay).
        let server = BazelServerLocator(outputBase: workspace.outputBase).serverPID()
        let left = ProcessTable.waitFor(seconds: 3) { $0.using(workspace.outputBase, except: Set([server].compactMap { $0 })).isEmpty }
        #expect(left, "left running: \(ProcessTable.now().using(workspace.outputBase, except: Set([server].compactMap { $0 })).map(\.joinedCommandLine))")

        guard FileManager.default.fileExists(atPath: bundle) else { return [] }
        let manifest = MeasuringFaults.manifest(bundle)
        #expect(manifest?.complete != true)
        return manifest?.notes ?? []
    }

    /// A headroom child whose command line holds `text`.
    static func child(_ text: String) -> (ProcessTable, pid_t, String) -> Bool {
        { table, headroom, _ in table.children(of: headroom).contains { $0.joinedCommandLine.contains(text) } }
    }

    @Test func beforeTheCommandStarts() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let marker = root.appendingPathComponent("bazel-was-run").path
        let fake = try FakeBazel(in: root, behaviour: .succeed, marker: marker)
        let bundle = root.appendingPathComponent("bundle").path
        // Started with SIGINT blocked and one sent at once: it is waiting when headroom starts,
        // as a Ctrl-C pressed before it could do anything.
        let recording = try MeasuringFaults.headroom(["record", "--out", bundle, "--", fake.path, "build", "//x"], root: root, blockingInterrupt: true)
        recording.send(SIGINT)
        #expect(recording.waitOrKill(seconds: 15) == .exited(130), "\(recording.standardError)")
        #expect(!FileManager.default.fileExists(atPath: marker), "bazel was started")
        if FileManager.default.fileExists(atPath: bundle) {
            let manifest = try #require(MeasuringFaults.manifest(bundle))
            #expect(!manifest.complete)
            #expect(manifest.notes.contains { $0.contains("before the command started") }, "\(manifest.notes)")
        }
    }

    @Test func whileTheServerStarts() throws {
        let notes = try interrupt(["build", "//p000/..."], when: Self.child("info output_base"))
        #expect(notes.contains { $0.contains("while starting the Bazel server") }, "\(notes)")
    }

    @Test func midBuild() throws {
        // Only this workspace's tests: other suites run the same kind of test at the same time.
        let notes = try interrupt(["test", "--nocache_test_results", "//memtests:all"], tests: 2) { table, _, outputBase in
            table.entries.contains { $0.joinedCommandLine.contains("bytearray") && $0.directory?.hasPrefix(outputBase + "/") == true && $0.directory?.contains("/execroot/") == true }
        }
        #expect(notes.contains { $0.contains("the Bazel client was sent SIGINT") }, "\(notes)")
    }

    @Test func duringBazelInfoAfterTheBuild() throws {
        let notes = try interrupt(["build", "//p000/..."], when: Self.child("used-heap-size-after-gc"))
        #expect(notes.contains { $0.contains("during bazel info after the command") }, "\(notes)")
    }

    @Test(.enabled(if: bazelNamesNoRelease, "the installed Bazel names its release: record asks it nothing while finishing"))
    func whileFinishingTheBundle() throws {
        // A fresh cache (each run has its own): record asks the binary for its flags at the end.
        let notes = try interrupt(["build", "//p000/..."], when: Self.child(" help "))
        #expect(notes.contains { $0.contains("while finishing the bundle") }, "\(notes)")
    }
}
