import Foundation
import Testing
import HeadroomKit

/// `/proc` readers: process status, process trees, host memory and pressure lines.
@Suite struct LiveProcReaderTests {
    // MARK: ProcStatusReader

    @Test func capturedStatusGivesBytesAndParent() throws {
        let status = try #require(ProcStatusReader.parse(try LiveFixtures.text("proc/python3.status"), pid: 674))
        #expect(status.memory.name == "python3")
        #expect(status.memory.pid == 674)
        #expect(status.parentPID == 668)
        #expect(status.memory.rssBytes == Int64(34020 * 1024))
        #expect(status.memory.peakRSSBytes == Int64(34020 * 1024))
        #expect(status.memory.anonBytes == Int64(27384 * 1024))
        #expect(status.memory.fileBytes == Int64(6636 * 1024))
        #expect(status.memory.shmemBytes == 0)
        // VmRSS is the sum of its three parts.
        #expect(status.memory.rssBytes == (status.memory.anonBytes ?? 0) + (status.memory.fileBytes ?? 0) + (status.memory.shmemBytes ?? 0))
    }

    @Test func ownProcessHasResidentMemory() throws {
        let status = try #require(ProcStatusReader().read(pid: Int(getpid())))
        #expect(status.memory.rssBytes > 0)
        #expect(!status.memory.name.isEmpty)
        #expect(status.parentPID == Int(getppid()))
        #expect((status.memory.peakRSSBytes ?? 0) >= status.memory.rssBytes)
    }

    @Test func missingProcessIsNil() {
        // Above the largest pid_max (2^22), so no process can have it.
        #expect(ProcStatusReader().read(pid: 99_999_999) == nil)
        #expect(ProcStatusReader().read(pid: -1) == nil)
        #expect(ProcStatusReader().read(pid: 0) == nil)
        #expect(ProcStatusReader(procRoot: "/nonexistent-proc").read(pid: Int(getpid())) == nil)
    }

    @Test func damagedStatusNeverTraps() {
        let huge = ProcStatusReader.parse("Name:\tx\nPPid:\t-1\nVmRSS:\t99999999999999999999 kB\nVmHWM:\tabc kB\nRssAnon:\t9007199254740993 kB\n", pid: 5)
        #expect(huge?.memory.name == "x")
        #expect(huge?.parentPID == nil)
        // A damaged VmRSS reads as nothing resident: the model's RSS is not optional.
        #expect(huge?.memory.rssBytes == 0)
        #expect(huge?.memory.peakRSSBytes == nil)
        #expect(huge?.memory.anonBytes == nil)
        #expect(ProcStatusReader.parse("", pid: 1) == nil)
        #expect(ProcStatusReader.parse("VmRSS:\t12 kB\n", pid: 1) == nil)
        #expect(ProcStatusReader.parse("\u{0}\u{1}garbage::::\n\n", pid: 1) == nil)
        // A zombie has a name and a parent but no memory lines.
        let zombie = ProcStatusReader.parse("Name:\tdefunct\nState:\tZ (zombie)\nPPid:\t1\n", pid: 9)
        #expect(zombie?.memory.rssBytes == 0)
        #expect(zombie?.parentPID == 1)
    }

    @Test func namesKeepTheirSpaces() {
        let status = ProcStatusReader.parse("Name:\t my tool \nVmRSS:\t4 kB\n", pid: 3)
        #expect(status?.memory.name == " my tool ")
        #expect(status?.memory.rssBytes == 4096)
    }

    // MARK: ProcessTreeReader

    @Test(arguments: [
        ("123 (java) S 45 123 123 0", 45),
        ("123 (a) b) c) S 45 1 1", 45),
        ("123 (two words) R 7 1", 7),
        ("123 ()) S 8 1", 8),
        ("1 (init) S 0 1 1", 0),
        ("123 ((sd-pam)) S 99\n", 99),
    ])
    func parentPIDIsReadAfterTheLastParenthesis(stat: String, parent: Int) {
        #expect(ProcessTreeReader.parentPID(inStat: Array(stat.utf8)) == parent)
    }

    @Test(arguments: ["", "123 (java", "123 (java) S", "123 (java) S x", "123 (java) S 99999999999999999999 1", "123 (java) S -4 1"])
    func damagedStatHasNoParent(stat: String) {
        #expect(ProcessTreeReader.parentPID(inStat: Array(stat.utf8)) == nil)
    }

    @Test func treeSumsDescendantsOnly() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.addProcess(pid: 1, parent: 0, name: "init", rssKB: 10_000, anonKB: 2_000, fileKB: 8_000)
        try proc.addProcess(pid: 100, parent: 1, name: "java", rssKB: 1_000_000, anonKB: 900_000, fileKB: 100_000, peakKB: 1_200_000)
        try proc.addProcess(pid: 200, parent: 100, name: "process-wrapper", rssKB: 4_000, anonKB: 1_000, fileKB: 3_000)
        try proc.addProcess(pid: 201, parent: 100, name: "a) S 1 (odd", rssKB: 300_000, anonKB: 290_000, fileKB: 10_000)
        try proc.addProcess(pid: 300, parent: 201, name: "cc1plus", rssKB: 200_000, anonKB: 190_000, fileKB: 10_000)
        try proc.addProcess(pid: 400, parent: 1, name: "sshd", rssKB: 8_000, anonKB: 4_000, fileKB: 4_000)
        // Listed but gone before its files were read.
        try proc.makeDirectory("500")
        // Not a process.
        try proc.write("meminfo", "MemTotal: 1 kB\n")
        let reader = ProcessTreeReader(procRoot: proc.path)
        #expect(reader.descendants(of: 100) == [100, 200, 201, 300])
        let tree = try #require(reader.read(rootPID: 100))
        #expect(tree.rootPID == 100)
        #expect(tree.processCount == 4)
        #expect(tree.rssBytes == Int64(1_000_000 + 4_000 + 300_000 + 200_000) * 1024)
        #expect(tree.anonBytes == Int64(900_000 + 1_000 + 290_000 + 190_000) * 1024)
        #expect(tree.fileBytes == Int64(100_000 + 3_000 + 10_000 + 10_000) * 1024)
        #expect(tree.shmemBytes == 0)
        #expect(tree.rootPeakRSSBytes == Int64(1_200_000 * 1024))
        #expect(tree.largest.map(\.pid) == [100, 201, 300, 200])
        #expect(tree.largest[1].name == "a) S 1 (odd")
    }

    @Test func treeNamesTheFiveLargest() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.addProcess(pid: 10, parent: 1, name: "make", rssKB: 1_000, anonKB: 500, fileKB: 500)
        for index in 0..<8 {
            try proc.addProcess(pid: 20 + index, parent: 10, name: "job\(index)", rssKB: 100 * (index + 1), anonKB: 50, fileKB: 50)
        }
        let tree = try #require(ProcessTreeReader(procRoot: proc.path).read(rootPID: 10))
        #expect(tree.processCount == 9)
        #expect(tree.largest.map(\.pid) == [10, 27, 26, 25, 24])
    }

    @Test func goneRootIsNil() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.addProcess(pid: 10, parent: 1, name: "make", rssKB: 1_000, anonKB: 500, fileKB: 500)
        #expect(ProcessTreeReader(procRoot: proc.path).read(rootPID: 11) == nil)
        #expect(ProcessTreeReader().read(rootPID: 99_999_999) == nil)
    }

    @Test func liveTreeOfThisProcessFindsItselfAndAChild() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        let me = Int(getpid())
        let tree = try #require(ProcessTreeReader().read(rootPID: me))
        #expect(tree.rootPID == me)
        #expect(tree.rssBytes > 0)
        #expect(tree.processCount >= 2)
        // Other tests run children of their own (JVMs, Chromium) at the same time, and those may
        // outgrow this process: the five largest are only known to come from this tree.
        let descendants = ProcessTreeReader().descendants(of: me)
        #expect(descendants.contains(Int(child.processIdentifier)))
        #expect(tree.largest.allSatisfy { $0.rssBytes > 0 })
        #expect(!tree.largest.isEmpty)
    }

    // MARK: HostMemoryReader and PressureParser

    @Test func capturedMeminfoGivesBytes() throws {
        let host = HostMemoryReader.parseMeminfo(try LiveFixtures.text("proc/meminfo"))
        #expect(host.totalBytes == Int64(24_684_092 * 1024))
        #expect(host.availableBytes == Int64(24_287_844 * 1024))
        #expect(host.swapTotalBytes == Int64(0))
        #expect(host.swapFreeBytes == Int64(0))
        #expect(host.pressure == nil)
    }

    @Test func hostWithoutPressureFileHasNilPressure() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.write("meminfo", try LiveFixtures.text("proc/meminfo"))
        let withoutPSI = try #require(HostMemoryReader(procRoot: proc.path).read())
        #expect(withoutPSI.totalBytes == Int64(24_684_092 * 1024))
        #expect(withoutPSI.pressure == nil)
        try proc.write("pressure/memory", try LiveFixtures.text("proc/pressure-memory"))
        let withPSI = try #require(HostMemoryReader(procRoot: proc.path).read())
        #expect(withPSI.pressure?.some?.totalMicroseconds == 9668)
        #expect(withPSI.pressure?.full?.totalMicroseconds == 8467)
        #expect(HostMemoryReader(procRoot: proc.path + "/missing").read() == nil)
    }

    @Test func liveHostMemory() throws {
        let host = try #require(HostMemoryReader().read())
        #expect((host.totalBytes ?? 0) > 0)
        #expect((host.availableBytes ?? 0) <= (host.totalBytes ?? 0))
    }

    @Test func damagedMeminfoLeavesFieldsNil() {
        let host = HostMemoryReader.parseMeminfo("MemTotal: -5 kB\nMemAvailable: 99999999999999999999 kB\nSwapTotal: 12 MB\nSwapFree:\nnonsense\n")
        #expect(host == HostMemory())
    }

    @Test func pressureLinesInAnyFieldOrder() throws {
        let pressure = try #require(PressureParser.parse("some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\nfull total=99 avg300=0.01 avg60=0.10 avg10=0.75 extra=1\n"))
        #expect(pressure.some == PressureStall(avg10: 1.5, avg60: 0.25, avg300: 0, totalMicroseconds: 123_456))
        #expect(pressure.full == PressureStall(avg10: 0.75, avg60: 0.1, avg300: 0.01, totalMicroseconds: 99))
    }

    @Test(arguments: [
        "", "garbage", "some", "some avg10=abc avg60=0 avg300=0 total=1", "some avg10=nan avg60=0.00 avg300=0.00 total=1",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=99999999999999999999", "some avg10=0.00 avg60=0.00 avg300=0.00 total=-1",
        "some avg10=500.00 avg60=0.00 avg300=0.00 total=1", "some avg10=0.00 avg60=0.00 avg300=0.00",
    ])
    func damagedPressureIsNil(text: String) {
        #expect(PressureParser.parse(text) == nil)
    }

    @Test func onlyTheSomeLine() {
        let pressure = PressureParser.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\nfull avg10=x\n")
        #expect(pressure?.some?.totalMicroseconds == 5)
        #expect(pressure?.full == nil)
    }
}
