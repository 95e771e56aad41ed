import Foundation
import Testing
import HeadroomKit

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
