import Foundation
import Testing
import HeadroomKit

/// Faults while measuring: what `headroom record` and `headroom sample` do when the server dies,
/// the cgroup is removed, processes vanish between reads, the disk fills, Ctrl-C comes at any
/// stage, the command hangs, or its arguments hold shell syntax. End to end through the built
/// binary, against real processes, cgroups, file systems and (where it matters) a real Bazel.
enum MeasuringFaults {
    /// Why the command-line tests cannot run here, or nil.
    static let headroomMissing: String? =
        FileManager.default.isExecutableFile(atPath: builtHeadroom) ? nil : "build headroom first (swift build)"

    /// Why the tests with a real Bazel cannot run here, or nil.
    static let realBazelMissing: String? = {
        if let headroomMissing { return headroomMissing }
        if installedBazel == nil { return "bazel is not installed" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "python3 is missing" }
        return nil
    }()

    /// Why a small tmpfs cannot be mounted here (mounting needs root), or nil.
    static let tmpfsUnavailable: String? = {
        if let missing = MeasuringFaults.headroomMissing { return missing }
        guard let root = try? TestSupport.temporaryDirectory() else { return "no temporary folder" }
        defer { try? FileManager.default.removeItem(at: root) }
        guard mount("tmpfs", root.path, "tmpfs", 0, "size=64k") == 0 else {
            return "cannot mount a tmpfs (\(String(cString: strerror(errno)))): mounting needs root"
        }
        umount(root.path)
        return nil
    }()

    /// Starts `headroom ARGUMENTS…` with its own cache folder in `root` (no shell).
    static func headroom(_ arguments: [String], root: URL, in directory: URL? = nil, blockingInterrupt: Bool = false) throws -> BackgroundProcess {
        try BackgroundProcess(
            [builtHeadroom] + arguments, environment: ["XDG_CACHE_HOME": root.appendingPathComponent("cache").path], in: directory,
            blockingInterrupt: blockingInterrupt)
    }

    /// The manifest of the bundle at `folder`, or nil when it has none.
    static func manifest(_ folder: String) -> BundleManifest? {
        FileManager.default.contents(atPath: folder + "/bundle.json").flatMap { try? JSONDecoder().decode(BundleManifest.self, from: $0) }
    }

    /// The reason in a sample log's end record.
    static func endReason(_ path: String) -> String? {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        guard let last = lines.last, let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
            object["record"] as? String == "end"
        else { return nil }
        return object["reason"] as? String
    }

    /// How many sample records a sample log holds so far.
    static func sampleCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains("\"record\":\"sample\"") }.count
    }

    /// Waits up to `seconds` for `condition`.
    @discardableResult
    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// `headroom analyze FOLDER`: its exit status and what it printed, lines unwrapped.
    static func analyze(_ folder: String, root: URL) throws -> (BackgroundProcess.Termination?, String) {
        let analysis = try headroom(["analyze", folder], root: root)
        let ended = analysis.waitOrKill(seconds: 60)
        let text = analysis.standardOutput + analysis.standardError
        return (ended, text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}

/// `--force` replaces a bundle only once the new one is closed: the old one is never emptied
/// first, and a complete old one outlives an incomplete new one as `NAME.previous`.
@Suite struct BundleReplacementTests {
    /// A bundle at `folder` whose `note.txt` says `text`, closed as `complete`.
    static func write(_ folder: String, _ text: String, complete: Bool, replace: Bool = true) throws -> BundleWriter.Placement {
        let writer = try BundleWriter(folder: folder, replace: replace)
        try Data(text.utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        writer.add("note.txt", kind: .other)
        return try writer.close(complete: complete)
    }

    static func note(_ folder: String) -> String? {
        try? String(contentsOfFile: folder + "/note.txt", encoding: .utf8)
    }

    @Test func theOldBundleStaysWholeUntilTheNewOneIsClosed() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)

        let writer = try BundleWriter(folder: folder, replace: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        writer.add("note.txt", kind: .other)
        // While the new bundle is written, the old one is whole, and the new one is hidden beside it.
        #expect(Self.note(folder) == "old")
        #expect(MeasuringFaults.manifest(folder)?.complete == true)
        #expect((writer.workingFolder as NSString).deletingLastPathComponent == root.path)
        #expect((writer.workingFolder as NSString).lastPathComponent.hasPrefix("."))

        let placement = try writer.close(complete: true)
        #expect(Self.note(folder) == "new")
        #expect(placement == BundleWriter.Placement(path: folder, complete: true, previousKeptAt: nil))
        // Nothing left beside it: not the working folder, not the old bundle.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }

    @Test func anIncompleteRunKeepsACompleteOldBundleBeside() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        let placement = try Self.write(folder, "cut short", complete: false)

        #expect(Self.note(folder) == "cut short")
        #expect(MeasuringFaults.manifest(folder)?.complete == false)
        #expect(placement.previousKeptAt == folder + ".previous")
        #expect(Self.note(folder + ".previous") == "old")
        #expect(MeasuringFaults.manifest(folder + ".previous")?.complete == true)

        // The next complete run replaces the incomplete one and leaves the kept one alone.
        _ = try Self.write(folder, "newest", complete: true)
        #expect(Self.note(folder) == "newest")
        #expect(Self.note(folder + ".previous") == "old")
    }

    @Test func anIncompleteOldBundleIsSimplyReplaced() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "first, cut short", complete: false)
        let placement = try Self.write(folder, "second, cut short", complete: false)
        #expect(Self.note(folder) == "second, cut short")
        #expect(placement.previousKeptAt == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }

    @Test func aRunThatNeverClosesLeavesTheOldBundleWhole() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        // As a process killed outright: the writer is dropped without closing.
        do {
            let writer = try BundleWriter(folder: folder, replace: true)
            try Data("never finished".utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        }
        #expect(Self.note(folder) == "old")
        let contents = try BundleReader.read(folder)
        #expect(contents.manifest.complete)
        #expect(contents.problems.isEmpty)
    }

    @Test func withoutForceAnExistingBundleIsRefusedAndUntouched() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        #expect(throws: BundleWriter.WriteError.self) { try Self.write(folder, "new", complete: true, replace: false) }
        #expect(Self.note(folder) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }
}

/// Processes that come and go between two reads of `/proc`, and a sampled process that exits.
@Suite(.serialized, .enabled(if: MeasuringFaults.headroomMissing == nil, "\(MeasuringFaults.headroomMissing ?? "")"))
struct ProcessChurnTests {
    @Test func aTreeOfShortLivedChildrenIsSampledSanelyAndItsEndEndsSampling() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // For two seconds a shell starts children that live a few milliseconds, then exits. It is
        // not reaped until headroom has finished, so headroom sees its end as a zombie.
        let churn = """
            end=$(( $(date +%s) + 2 ))
            while [ "$(date +%s)" -lt "$end" ]; do /bin/true & sleep 0.05 & /bin/true & sleep 0.01; done
            wait
            """
        let shell = try BackgroundProcess(["/bin/sh", "-c", churn])
        let log = root.appendingPathComponent("samples.jsonl").path
        let sampling = try MeasuringFaults.headroom(["sample", "--pid", "\(shell.pid)", "--interval", "10ms", "--output", log], root: root)
        let ended = sampling.waitOrKill(seconds: 30)
        _ = shell.waitOrKill(seconds: 5)

        #expect(ended == .exited(0), "\(sampling.standardError)")
        #expect(sampling.standardError.contains("process \(shell.pid) exited"), "\(sampling.standardError)")
        #expect(MeasuringFaults.endReason(log)?.contains("process \(shell.pid) exited") == true)

        let memoryTotal = try #require(HostMemoryReader().read()?.totalBytes)
        let plausible = 0...memoryTotal
        var samples = 0
        var mostProcesses = 0
        _ = try MemorySeriesReader.read(log) { sample in
            samples += 1
            guard let tree = sample.processes else {
                Issue.record("a sample without the process tree")
                return
            }
            mostProcesses = max(mostProcesses, tree.processCount)
            #expect((1...10_000).contains(tree.processCount))
            #expect(plausible.contains(tree.rssBytes))
            for part in [tree.anonBytes, tree.fileBytes, tree.shmemBytes, tree.rootPeakRSSBytes].compactMap({ $0 }) {
                #expect(plausible.contains(part), "tree: \(tree)")
            }
            for process in tree.largest {
                #expect(process.pid > 0)
                #expect(process.rssBytes <= tree.rssBytes)
                for figure in [process.rssBytes, process.peakRSSBytes, process.anonBytes, process.fileBytes, process.shmemBytes].compactMap({ $0 }) {
                    #expect(plausible.contains(figure), "process: \(process)")
                }
            }
        }
        #expect(samples >= 20)
        #expect(mostProcesses >= 2, "the children were never seen")
    }

    @Test func exitedProcessesWaitingToBeReapedAreNotSampled() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.addProcess(pid: 10, parent: 1, name: "make", rssKB: 1_000, anonKB: 500, fileKB: 500)
        // A child that has exited and waits for make to reap it: no memory, statm all zeros.
        try proc.write("20/status", "Name:\tsh\nState:\tZ (zombie)\nPPid:\t10\n")
        try proc.write("20/stat", "20 (sh) Z 10 20 20 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0")
        try proc.write("20/statm", "0 0 0 0 0 0 0\n")
        let tree = try #require(ProcessTreeReader(procRoot: proc.path).read(rootPID: 10))
        #expect(tree.processCount == 1)
        #expect(tree.largest.map(\.pid) == [10])
        // A root in that state has ended: sampling it stops rather than reading zeros forever.
        #expect(ProcessTreeReader(procRoot: proc.path).read(rootPID: 20) == nil)
        let sampler = MemorySampler(target: .process(pid: 20), cgroup: .none, includeHost: false, procRoot: proc.path)
        #expect(throws: SamplerStop.targetGone("process 20 has already exited")) { try sampler.prepare() }
    }

    @Test func theProcessStatesThatMeanExitedAreRecognised() {
        let zombie = "Name:\tsh\nState:\tZ (zombie)\nPPid:\t1\n"
        let running = "Name:\tsh\nState:\tS (sleeping)\nPPid:\t1\nVmRSS:\t   1000 kB\n"
        #expect(ProcStatusReader.parse(zombie, pid: 7)?.hasExited == true)
        #expect(ProcStatusReader.parse(running, pid: 7)?.hasExited == false)
        // The command name may hold spaces and parentheses: fields count from the last `)`.
        let stat = "4242 (a (b) c) S 1 4242 4000 0 -1 4194304 102 0 0 0 0 0 0 0 20 0 1 0 1898104 3133440 412 18446744073709551615"
        #expect(ProcStat.parse(Array(stat.utf8)) == ProcStat(parentPID: 1, processGroup: 4242, session: 4000, startTime: 1_898_104))
    }
}

/// A memory cgroup removed while `headroom sample --cgroup` samples it.
@Suite(.serialized, .enabled(if: MeasuringFaults.headroomMissing == nil && RealCgroup.unavailableReason == nil,
    "\(MeasuringFaults.headroomMissing ?? RealCgroup.unavailableReason ?? "")"))
struct CgroupRemovalTests {
    @Test func aRemovedCgroupEndsSamplingCleanlyNamingIt() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cgroup = try RealCgroup(limitBytes: nil)
        defer { cgroup.destroy() }
        let log = root.appendingPathComponent("samples.jsonl").path
        let sampling = try MeasuringFaults.headroom(["sample", "--cgroup", cgroup.path, "--interval", "50ms", "--output", log], root: root)
        #expect(MeasuringFaults.waitUntil(seconds: 10) { MeasuringFaults.sampleCount(log) >= 3 })
        #expect(rmdir(cgroup.directory) == 0)
        let ended = sampling.waitOrKill(seconds: 10)

        // Exit 0: the target going away is a clean end, with the reason said and the samples kept.
        #expect(ended == .exited(0), "\(sampling.standardError)")
        #expect(sampling.standardError.contains("memory cgroup \(cgroup.path) was removed"), "\(sampling.standardError)")
        #expect(MeasuringFaults.endReason(log)?.contains("memory cgroup \(cgroup.path) was removed") == true)
        var withCgroup = 0
        _ = try MemorySeriesReader.read(log) { sample in
            if sample.cgroup?.path == cgroup.path { withCgroup += 1 }
        }
        #expect(withCgroup >= 3)
    }
}

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

/// `record --timeout` on a command whose process tree ignores SIGINT.
@Suite(.serialized, .enabled(if: MeasuringFaults.headroomMissing == nil, "\(MeasuringFaults.headroomMissing ?? "")"))
struct HangingCommandTests {
    @Test func aTimeoutKillsTheWholeTree() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pidFile = root.appendingPathComponent("tree.pids").path
        let fake = try FakeBazel(in: root, behaviour: .hang(pidFile: pidFile))
        let bundle = root.appendingPathComponent("bundle").path
        let started = Date()
        let recording = try MeasuringFaults.headroom(["record", "--timeout", "2s", "--out", bundle, "--", fake.path, "build", "//x"], root: root)
        func tree() -> [Int] {
            ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
        }
        // The fake, a child, a grandchild's parent and the grandchild, and a child in a group of its own.
        #expect(MeasuringFaults.waitUntil(seconds: 10) { tree().count == 5 })
        let ended = recording.waitOrKill(seconds: 60)

        #expect(ended == .exited(124), "\(recording.standardError)")
        #expect(Date().timeIntervalSince(started) < 30)
        let pids = tree()
        #expect(pids.count == 5)
        #expect(ProcessTable.waitFor(seconds: 3) { _ in pids.allSatisfy { !ProcessTable.isRunning($0) } }, "survivors: \(pids.filter(ProcessTable.isRunning))")
        let manifest = try #require(MeasuringFaults.manifest(bundle))
        #expect(!manifest.complete)
        #expect(manifest.notes.contains { $0.contains("timed out") }, "\(manifest.notes)")
    }
}

/// Arguments reach the command as words, never through a shell.
@Suite(.enabled(if: MeasuringFaults.headroomMissing == nil, "\(MeasuringFaults.headroomMissing ?? "")"))
struct CommandArgumentTests {
    @Test func wordsWithSpacesQuotesAndShellSyntaxArriveExactly() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pwned = root.appendingPathComponent("PWNED").path
        let received = root.appendingPathComponent("argv").path
        let fake = try FakeBazel(in: root, behaviour: .recordArguments(to: received))
        let words = ["a b", "q\"x", "$(touch \(pwned))", "`touch \(pwned)`; touch \(pwned)", "it's"]
        let recording = try MeasuringFaults.headroom(["record", "--out", root.appendingPathComponent("bundle").path, "--", fake.path, "build"] + words, root: root)
        #expect(recording.waitOrKill(seconds: 30) == .exited(0), "\(recording.standardError)")

        let data = try Data(contentsOf: URL(fileURLWithPath: received))
        let arguments = data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        // `record` adds its --profile before the user's words; the words themselves are untouched.
        #expect(arguments.first?.hasPrefix("--profile=") == true)
        #expect(Array(arguments.dropFirst()) == words)
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }
}
