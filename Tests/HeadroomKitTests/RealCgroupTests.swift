import Foundation
import Testing
import HeadroomKit

/// Real processes in a real memory cgroup on this machine: sampled, then OOM-killed by the kernel
/// and read back from its log. Needs root and the cgroup v1 memory controller (skipped otherwise).
@Suite(.serialized, .enabled(if: RealCgroup.unavailableReason == nil, "\(RealCgroup.unavailableReason ?? "")"))
struct RealCgroupTests {
    static let mebibyte: Int64 = 1 << 20

    @Test func samplingAProcessTreeInACgroupSeesItsMemory() throws {
        let cgroup = try RealCgroup(limitBytes: nil)
        defer { cgroup.destroy() }
        let workload = try AllocatingWorkload(in: cgroup, mebibytes: 120, childMebibytes: 40, holdSeconds: 6)
        defer { workload.terminate() }
        #expect(workload.waitUntilReady())

        let sampler = MemorySampler(target: .process(pid: Int(workload.pid)), cgroup: .path(cgroup.path))
        try sampler.prepare()
        var samples: [MemorySample] = []
        let result = SamplingLoop(intervalSeconds: 0.1, durationSeconds: 1.0).run(
            take: { sampler.take() }, write: { samples.append($0) }, interrupted: { false })
        #expect(result.stop == .durationReached)
        #expect(samples.count >= 8)

        let usage = samples.compactMap { $0.cgroup?.usageBytes }.max() ?? 0
        let peak = samples.compactMap { $0.cgroup?.peakBytes }.max() ?? 0
        let treeRSS = samples.compactMap { $0.processes?.rssBytes }.max() ?? 0
        // 160 MiB allocated and touched, plus two interpreters.
        #expect(usage >= 160 * Self.mebibyte, "cgroup usage \(usage)")
        #expect(peak >= usage)
        #expect(treeRSS >= 160 * Self.mebibyte, "tree RSS \(treeRSS)")
        #expect(samples.last?.processes?.processCount == 2)
        #expect(samples.last?.processes?.largest.first?.rssBytes ?? 0 >= 120 * Self.mebibyte)
        #expect(samples.last?.cgroup?.version == 1)
        #expect(samples.last?.cgroup?.path == cgroup.path)
    }

    @Test func aRealOOMKillIsReadBackAndClassified() throws {
        let cgroup = try RealCgroup(limitBytes: 64 * Self.mebibyte)
        defer { cgroup.destroy() }
        // A stand-in for a Bazel server sharing the scope: a copy of sleep named java.
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fakeServer = Process()
        fakeServer.executableURL = folder.appendingPathComponent("java")
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: fakeServer.executableURL!.path)
        fakeServer.arguments = ["30"]
        try fakeServer.run()
        defer {
            kill(fakeServer.processIdentifier, SIGKILL)
            fakeServer.waitUntilExit()
        }
        try cgroup.add(pid: fakeServer.processIdentifier)

        let workload = try AllocatingWorkload(in: cgroup, mebibytes: 200, childMebibytes: 0, holdSeconds: 5)
        workload.process.waitUntilExit()
        #expect(workload.process.terminationReason == .uncaughtSignal)
        #expect(workload.process.terminationStatus == SIGKILL)

        let dmesg = Process()
        dmesg.executableURL = URL(fileURLWithPath: "/usr/bin/dmesg")
        let pipe = Pipe()
        dmesg.standardOutput = pipe
        try dmesg.run()
        let log = pipe.fileHandleForReading.readDataToEndOfFile()
        dmesg.waitUntilExit()

        let context = OOMClassificationContext(serverPIDs: [Int(fakeServer.processIdentifier)])
        let report = OOMReportReading.read(bytes: Array(log), name: "dmesg", context: context)
        let kill = try #require(report.kills.last { $0.victim?.pid == Int(workload.pid) }, "no kill of \(workload.pid) in dmesg")
        #expect(kill.constraint == .memcg)
        #expect(kill.memcg == cgroup.path)
        #expect(kill.limitBytes == 64 * Self.mebibyte)
        #expect(kill.victim?.name == "python3")
        #expect((kill.victim?.anonRssBytes ?? 0) > 32 * Self.mebibyte)
        #expect(kill.classification == .testOrAction)
        #expect(kill.tasks.contains { $0.name == "java" && $0.pid == Int(fakeServer.processIdentifier) })
    }
}
