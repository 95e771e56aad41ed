import Foundation
import Testing
import HeadroomKit

/// Memory cgroup reading (v2 and v1 fixtures) and finding a process's cgroup from `/proc`.
@Suite struct LiveCgroupReaderTests {
    // MARK: CgroupMemoryReader, v2

    @Test func v2LimitedAfterOOM() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v2/oom-limited"), path: "/system.slice/bazel.scope"))
        #expect(memory.version == 2)
        #expect(memory.path == "/system.slice/bazel.scope")
        #expect(memory.usageBytes == 2_143_047_680)
        #expect(memory.peakBytes == 2_147_483_648)
        #expect(memory.limitBytes == 2_147_483_648)
        #expect(memory.highBytes == nil)
        #expect(memory.swapUsageBytes == 0)
        #expect(memory.swapLimitBytes == 0)
        let events = try #require(memory.events)
        #expect(events.low == 0)
        #expect(events.high == 0)
        #expect(events.max == 18_422)
        #expect(events.oom == 3)
        #expect(events.oomKill == 3)
        #expect(events.oomGroupKill == 0)
        #expect(memory.oomKillCount == 3)
        #expect(memory.failCount == nil)
        #expect(memory.underOOM == nil)
        let stat = try #require(memory.stat)
        #expect(stat.anonBytes == 2_034_565_120)
        #expect(stat.fileBytes == 71_303_168)
        #expect(stat.shmemBytes == 2_097_152)
        #expect(stat.sockBytes == 0)
        // Stack, page tables, per-cpu, vmalloc, reclaimable and unreclaimable slab.
        let kernelParts: [Int64] = [3_522_560, 8_388_608, 1_130_496, 20_480, 14_680_064, 9_437_184]
        #expect(stat.kernelBytes == kernelParts.reduce(0, +))
        #expect((stat.anonBytes ?? 0) + (stat.fileBytes ?? 0) + (stat.kernelBytes ?? 0) == memory.usageBytes)
        #expect(memory.pressure?.some == PressureStall(avg10: 23.51, avg60: 11.02, avg300: 3.40, totalMicroseconds: 48_213_377))
        #expect(memory.pressure?.full?.totalMicroseconds == 44_030_125)
    }

    @Test func v2UnlimitedReadsMaxAsNil() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v2/unlimited")))
        #expect(memory.path == LiveFixtures.path("cgroup-v2/unlimited"))
        #expect(memory.limitBytes == nil)
        #expect(memory.highBytes == nil)
        #expect(memory.swapLimitBytes == nil)
        #expect(memory.usageBytes == 732_391_424)
        #expect(memory.peakBytes == 1_073_741_824)
        // `sock_throttled` has no field and must not disturb the others.
        #expect(memory.events?.oomGroupKill == 0)
        #expect(memory.events?.oomKill == 0)
        #expect(memory.stat?.sockBytes == 12_288)
    }

    @Test func v2BeforeKernel519HasNoPeak() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v2/pre-5.19")))
        #expect(memory.version == 2)
        #expect(memory.peakBytes == nil)
        #expect(memory.usageBytes == 1_727_086_592)
        #expect(memory.limitBytes == 4_294_967_296)
        #expect(memory.highBytes == 3_758_096_384)
        #expect(memory.events?.high == 412)
        #expect(memory.events?.oomGroupKill == nil)
        #expect(memory.stat?.kernelBytes == nil)
        #expect(memory.stat?.anonBytes == 1_287_651_328)
        #expect(memory.pressure?.some?.avg10 == 1.25)
    }

    @Test func v2DamagedFilesReadAsAbsent() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v2/damaged")))
        #expect(memory.version == 2)
        #expect(memory.usageBytes == nil)
        #expect(memory.peakBytes == nil)
        #expect(memory.limitBytes == nil)
        #expect(memory.highBytes == nil)
        #expect(memory.swapUsageBytes == nil)
        #expect(memory.swapLimitBytes == nil)
        #expect(memory.events == CgroupMemoryEvents())
        #expect(memory.oomKillCount == nil)
        #expect(memory.stat == CgroupMemoryStat())
        #expect(memory.pressure == nil)
    }

    @Test func eventsInAnyOrderWithUnknownKeys() {
        let events = CgroupMemoryReader.parseEvents("sock_throttled 4\noom_group_kill 1\noom_kill 2\nnew_thing 9\nmax 7\nhigh 6\nlow 5\noom 3\n")
        #expect(events.low == 5)
        #expect(events.high == 6)
        #expect(events.max == 7)
        #expect(events.oom == 3)
        #expect(events.oomKill == 2)
        #expect(events.oomGroupKill == 1)
    }

    @Test func goneOrForeignDirectoryIsNil() throws {
        #expect(CgroupMemoryReader.read(directory: "/nonexistent/cgroup") == nil)
        #expect(CgroupMemoryReader.read(directory: LiveFixtures.path("series")) == nil)
        #expect(CgroupMemoryReader.version(ofDirectory: LiveFixtures.path("cgroup-v2")) == nil)
    }

    // MARK: CgroupMemoryReader, v1 (captured on a real kernel)

    @Test func v1Limited() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v1/limited"), path: "/headroom-fixture-limited"))
        #expect(memory.version == 1)
        #expect(memory.usageBytes == 61_591_552)
        #expect(memory.peakBytes == 61_607_936)
        #expect(memory.limitBytes == 104_857_600)
        #expect(memory.highBytes == nil)
        #expect(memory.failCount == 0)
        #expect(memory.underOOM == false)
        #expect(memory.oomKillCount == 0)
        #expect(memory.events == nil)
        #expect(memory.pressure == nil)
        #expect(memory.stat?.anonBytes == 59_506_688)
        #expect(memory.stat?.fileBytes == 1_691_648)
        #expect(memory.stat?.shmemBytes == 0)
        #expect(memory.stat?.kernelBytes == 217_088)
        // memsw = usage: nothing swapped; its limit is "none", so no swap limit either.
        #expect(memory.swapUsageBytes == 0)
        #expect(memory.swapLimitBytes == nil)
    }

    @Test func v1AfterOOMKill() throws {
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v1/oom-killed")))
        #expect(memory.limitBytes == 41_943_040)
        #expect(memory.peakBytes == 41_943_040)
        #expect(memory.failCount == 128)
        #expect(memory.oomKillCount == 1)
        #expect(memory.underOOM == false)
        #expect(memory.usageBytes == 204_800)
    }

    @Test func v1UnlimitedPrintsAHugeNumber() throws {
        #expect(try LiveFixtures.text("cgroup-v1/unlimited/memory.limit_in_bytes") == "9223372036854771712\n")
        let memory = try #require(CgroupMemoryReader.read(directory: LiveFixtures.path("cgroup-v1/unlimited")))
        #expect(memory.limitBytes == nil)
        #expect(memory.swapLimitBytes == nil)
        #expect(memory.usageBytes == 20_631_552)
    }

    @Test func v1StatWithoutHierarchicalTotals() {
        let stat = CgroupMemoryReader.parseV1Stat("cache 20480\nrss 10240\nrss_huge 0\nshmem 4096\nmapped_file 0\n")
        #expect(stat.anonBytes == 10240)
        #expect(stat.fileBytes == 20480)
        #expect(stat.shmemBytes == 4096)
        // `total_` figures win where both are there.
        let both = CgroupMemoryReader.parseV1Stat("rss 1\ncache 2\ntotal_rss 10\ntotal_cache 20\n")
        #expect(both.anonBytes == 10)
        #expect(both.fileBytes == 20)
    }

    @Test func v1SwapFromTheStatSnapshotBeforeMemsw() throws {
        // Read a moment apart, memsw and usage differ by what was charged in between: not swap.
        let folder = try LiveFixtures.FakeProc()
        defer { folder.cleanUp() }
        try folder.write("memory.usage_in_bytes", "1000\n")
        try folder.write("memory.limit_in_bytes", "4096\n")
        try folder.write("memory.memsw.usage_in_bytes", "263144\n")
        try folder.write("memory.memsw.limit_in_bytes", "8192\n")
        try folder.write("memory.stat", "cache 0\nrss 1000\nswap 0\ntotal_rss 1000\ntotal_swap 0\n")
        let memory = try #require(CgroupMemoryReader.read(directory: folder.path))
        #expect(memory.swapUsageBytes == 0)
        try folder.write("memory.stat", "rss 1000\nswap 4096\ntotal_swap 8192\n")
        #expect(CgroupMemoryReader.read(directory: folder.path)?.swapUsageBytes == 8192)
    }

    @Test func v1SwapFromMemsw() throws {
        let folder = try LiveFixtures.FakeProc()
        defer { folder.cleanUp() }
        try folder.write("memory.usage_in_bytes", "1000\n")
        try folder.write("memory.limit_in_bytes", "4096\n")
        try folder.write("memory.memsw.usage_in_bytes", "1500\n")
        try folder.write("memory.memsw.limit_in_bytes", "8192\n")
        let memory = try #require(CgroupMemoryReader.read(directory: folder.path))
        #expect(memory.swapUsageBytes == 500)
        #expect(memory.swapLimitBytes == 4096)
        #expect(memory.stat == nil)
        #expect(memory.underOOM == nil)
    }

    // MARK: CgroupLocator

    /// A `/proc` with mountinfo pointing into a fake cgroup filesystem in the same folder.
    struct FakeSystem {
        let proc: LiveFixtures.FakeProc
        var v1: String { proc.path + "/fs/memory" }
        var v2: String { proc.path + "/fs/unified" }

        init(v2Controllers: String = "cpu io memory pids", v1Mounted: Bool = true, v1Options: String = "rw,memory") throws {
            proc = try LiveFixtures.FakeProc()
            var mountinfo = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            if v1Mounted {
                mountinfo += "35 31 0:32 / \(proc.path)/fs/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup \(v1Options)\n"
                mountinfo += "36 31 0:33 / \(proc.path)/fs/cpu rw,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct\n"
            }
            mountinfo += "41 31 0:38 / \(proc.path)/fs/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n"
            try proc.write("self/mountinfo", mountinfo)
            try proc.write("fs/unified/cgroup.controllers", v2Controllers + "\n")
        }

        func process(_ pid: Int, cgroup: String) throws {
            try proc.write("\(pid)/cgroup", cgroup)
        }

        func v1Group(_ path: String) throws {
            try proc.write("fs/memory\(path)/memory.usage_in_bytes", "4096\n")
        }

        func v2Group(_ path: String) throws {
            try proc.write("fs/unified\(path)/memory.current", "4096\n")
        }

        var locator: CgroupLocator { CgroupLocator(procRoot: proc.path, cgroupRoot: proc.path + "/nowhere") }
    }

    @Test func v1LineWinsOnAHybridSystem() throws {
        let system = try FakeSystem()
        defer { system.proc.cleanUp() }
        try system.v1Group("/build/x")
        try system.process(42, cgroup: "9:name=systemd:/user.slice\n4:memory:/build/x\n1:cpu,cpuacct:/\n0::/user.slice\n")
        #expect(system.locator.locate(pid: 42) == CgroupLocation(version: 1, path: "/build/x", directory: system.v1 + "/build/x"))
    }

    @Test func v1MemoryCombinedWithOtherControllers() throws {
        let system = try FakeSystem(v1Options: "rw,cpu,memory")
        defer { system.proc.cleanUp() }
        try system.v1Group("/a")
        try system.process(42, cgroup: "6:cpu,memory:/a\n")
        #expect(system.locator.locate(pid: 42)?.directory == system.v1 + "/a")
    }

    @Test func v2WhenTheUnifiedHierarchyHasMemory() throws {
        let system = try FakeSystem(v1Mounted: false)
        defer { system.proc.cleanUp() }
        try system.v2Group("/system.slice/bazel.scope")
        try system.process(42, cgroup: "0::/system.slice/bazel.scope\n")
        #expect(system.locator.locate(pid: 42) == CgroupLocation(version: 2, path: "/system.slice/bazel.scope", directory: system.v2 + "/system.slice/bazel.scope"))
    }

    @Test func v2WithoutTheMemoryControllerIsNil() throws {
        let system = try FakeSystem(v2Controllers: "cpu io pids", v1Mounted: false)
        defer { system.proc.cleanUp() }
        try system.proc.makeDirectory("fs/unified/user.slice")
        try system.process(42, cgroup: "0::/user.slice\n")
        #expect(system.locator.locate(pid: 42) == nil)
    }

    @Test func mountOfPartOfTheHierarchy() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        // A container's view: the mount shows /kubepods/pod1 at its mount point, whose path has a space.
        try proc.write("self/mountinfo", "41 31 0:38 /kubepods/pod1 \(proc.path)/my\\040cgroup rw,relatime - cgroup2 cgroup2 rw\n")
        try proc.write("my cgroup/cgroup.controllers", "memory\n")
        try proc.write("my cgroup/ctr/memory.current", "1\n")
        try proc.write("42/cgroup", "0::/kubepods/pod1/ctr\n")
        let location = CgroupLocator(procRoot: proc.path).locate(pid: 42)
        #expect(location?.directory == proc.path + "/my cgroup/ctr")
        #expect(location?.path == "/kubepods/pod1/ctr")
    }

    @Test func fallsBackToTheUsualMountsWithoutMountinfo() throws {
        let proc = try LiveFixtures.FakeProc()
        defer { proc.cleanUp() }
        try proc.write("cgroup/memory/memory.usage_in_bytes", "1\n")
        try proc.write("cgroup/memory/job/memory.usage_in_bytes", "1\n")
        try proc.write("42/cgroup", "3:memory:/job\n")
        let locator = CgroupLocator(procRoot: proc.path, cgroupRoot: proc.path + "/cgroup")
        #expect(locator.locate(pid: 42)?.directory == proc.path + "/cgroup/memory/job")
    }

    @Test func goneProcessOrGroupIsNil() throws {
        let system = try FakeSystem()
        defer { system.proc.cleanUp() }
        try system.process(42, cgroup: "4:memory:/removed\n")
        #expect(system.locator.locate(pid: 42) == nil)
        #expect(system.locator.locate(pid: 43) == nil)
        #expect(CgroupLocator().locate(pid: 99_999_999) == nil)
    }

    @Test func membershipLines() {
        let lines = CgroupLocator.memoryMembership(inProcCgroup: "12:memory:/a:b\n11:cpu,memory,pids:/c\n0::/d\n")
        // The later v1 line of a malformed file wins; real files have one.
        #expect(lines.v1 == "/c")
        #expect(lines.v2 == "/d")
        #expect(CgroupLocator.memoryMembership(inProcCgroup: "4:memory:/x:y\n").v1 == "/x:y")
        #expect(CgroupLocator.memoryMembership(inProcCgroup: "garbage\n::\n4:memoryless:/z\n").v1 == nil)
    }

    @Test func userGivenPaths() throws {
        let system = try FakeSystem()
        defer { system.proc.cleanUp() }
        try system.v1Group("/build/x")
        try system.v2Group("/system.slice/y.scope")
        let locator = system.locator
        #expect(locator.directory(forPath: "/build/x") == CgroupLocation(version: 1, path: "/build/x", directory: system.v1 + "/build/x"))
        #expect(locator.directory(forPath: "build/x/")?.directory == system.v1 + "/build/x")
        #expect(locator.directory(forPath: "/system.slice/y.scope") == CgroupLocation(version: 2, path: "/system.slice/y.scope", directory: system.v2 + "/system.slice/y.scope"))
        #expect(locator.directory(forPath: system.v2 + "/system.slice/y.scope/") == CgroupLocation(version: 2, path: "/system.slice/y.scope", directory: system.v2 + "/system.slice/y.scope"))
        #expect(locator.directory(forPath: system.v1 + "/build/x")?.path == "/build/x")
        #expect(locator.directory(forPath: "/no/such.scope") == nil)
        // A folder outside any mount keeps its own path.
        #expect(locator.directory(forPath: LiveFixtures.path("cgroup-v2/unlimited"))?.path == LiveFixtures.path("cgroup-v2/unlimited"))
    }

    @Test func mountinfoParsing() {
        let table = CgroupMountTable.parse(mountinfo: """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:7 master:2 - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/memoryless rw,relatime - cgroup cgroup rw,name=memoryless
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            garbage line
            1 2 3 4 5 6 - 
            """)
        #expect(table.v1Memory == [CgroupMount(mountPoint: "/sys/fs/cgroup/memory", root: "/")])
        #expect(table.unified == [CgroupMount(mountPoint: "/sys/fs/cgroup/unified", root: "/")])
    }

    @Test func liveLocationOfThisProcessReadsWithoutTrapping() {
        let locator = CgroupLocator()
        _ = locator.mountTable()
        guard let location = locator.locate(pid: Int(getpid())) else { return }
        let memory = CgroupMemoryReader.read(location)
        #expect(memory?.version == location.version)
        #expect(memory?.path == location.path)
        if location.version == 1 { #expect((memory?.usageBytes ?? 0) > 0) }
    }
}
