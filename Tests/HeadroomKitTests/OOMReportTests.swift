import Foundation
import Testing
import HeadroomKit

/// Kernel OOM reports, one fixture per kernel era (see `Fixtures/oom/README.md`), read the way
/// `headroom oom` reads them.
@Suite struct OOMReportTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/HeadroomKitTests/Fixtures/oom")
    static let kB: Int64 = 1024
    static let page: Int64 = 4096
    /// 2026-11-21T20:41:12Z
    static let nov21 = 1_795_293_672.0
    /// 2026-12-01T00:00:00Z: the "now" that gives year-less syslog stamps their year.
    static let reference = 1_796_083_200.0

    static func read(_ name: String, _ context: OOMClassificationContext = OOMClassificationContext(), options: OOMReadOptions = OOMReadOptions(referenceEpochSeconds: reference)) throws -> OOMReport {
        try OOMReportReading.read(paths: [fixtures.appendingPathComponent(name).path], context: context, options: options)
    }

    static func read(text: String, _ context: OOMClassificationContext = OOMClassificationContext()) -> OOMReport {
        OOMReportReading.read(bytes: Array(text.utf8), name: "inline", context: context, options: OOMReadOptions(referenceEpochSeconds: reference))
    }

    // MARK: - One fixture per kernel era

    @Test func kernel414MemcgKillWithSacrificedChild() throws {
        let report = try Self.read("a-4.14-memcg-v1-sacrifice-child.dmesg", OOMClassificationContext(serverPIDs: [2210]))
        #expect(report.kills.count == 1)
        let kill = try #require(report.kills.first)
        // The kernel chose the server, then killed a child of it with its own memory instead.
        #expect(kill.selected == OOMKill.Selection(name: "java", pid: 2210, score: 890))
        let victim = try #require(kill.victim)
        #expect(victim.name == "process-wrapper")
        #expect(victim.pid == 3371)
        #expect(victim.anonRssBytes == 1012 * Self.kB)
        #expect(victim.fileRssBytes == 2672 * Self.kB)
        #expect(victim.shmemRssBytes == 0)
        #expect(victim.totalVmBytes == 73648 * Self.kB)
        #expect(victim.uid == nil)
        #expect(kill.constraint == .memcg)
        #expect(kill.constraintRaw == nil)
        #expect(kill.memcg == "/docker/5f2c9e1a7b3d")
        #expect(kill.taskMemcg == "/docker/5f2c9e1a7b3d")
        #expect(kill.limitBytes == 8_388_608 * Self.kB)
        #expect(kill.usageBytes == 8_388_608 * Self.kB)
        #expect(kill.failCount == 15422)
        #expect(kill.swapLimitBytes == 8_388_608 * Self.kB)
        #expect(kill.memcgStats["rss"] == 8_316_960 * Self.kB)
        #expect(kill.memcgStats["cache"] == 10412 * Self.kB)
        #expect(kill.killMessage == "Memory cgroup out of memory")
        #expect(kill.trigger?.name == "skyframe-evalua")
        #expect(kill.trigger?.pid == 2291)
        #expect(kill.trigger?.gfpMask == "0x14000c0(GFP_KERNEL)")
        #expect(kill.trigger?.order == 0)
        #expect(kill.taskTableColumns.contains("nr_ptes"))
        #expect(kill.taskCount == 8)
        let java = try #require(kill.tasks.first)
        #expect(java.name == "java" && java.pid == 2210)
        #expect(java.rssBytes == 1_863_801 * Self.page)
        #expect(java.pageTablesBytes == (3624 + 14) * Self.page)
        #expect(kill.reaped?.anonRssBytes == 0)
        #expect(kill.time.uptimeSeconds == 8123.456789)
        #expect(kill.time.printed == "8123.456789")
        #expect(kill.location.line == 2)
        #expect(kill.isComplete)
        #expect(kill.classification == .testOrAction)
        #expect(kill.classificationReason.contains("2210"))
        #expect(kill.serverPIDsInTaskTable == [2210])
    }

    @Test func kernel54MemcgKillWithSummary() throws {
        let report = try Self.read("b-5.4-memcg-v2-summary.dmesg", OOMClassificationContext(serverPIDs: [41040]))
        #expect(report.kills.count == 1)
        let kill = try #require(report.kills.first)
        let victim = try #require(kill.victim)
        #expect(victim.name == "foo_test" && victim.pid == 48211 && victim.uid == 0)
        #expect(victim.anonRssBytes == 1_838_724 * Self.kB)
        #expect(victim.fileRssBytes == 2720 * Self.kB)
        #expect(victim.shmemRssBytes == 0)
        #expect(victim.rssBytes == 460_361 * Self.page)
        #expect(victim.pageTablesBytes == 3856 * Self.kB)
        #expect(victim.oomScoreAdj == 0)
        #expect(kill.constraint == .memcg)
        #expect(kill.constraintRaw == "CONSTRAINT_MEMCG")
        #expect(kill.memcg == "/system.slice/bazel-ci.scope")
        #expect(kill.limitBytes == 6_291_456 * Self.kB)
        #expect(kill.usageBytes == 6_291_456 * Self.kB)
        #expect(kill.swapLimitBytes == nil, "9007199254740988kB means no limit")
        // The stats come as one multi-line record: dmesg indents the continuation lines.
        #expect(kill.memcgStats["anon"] == 6_159_351_808)
        #expect(kill.memcgStats["file"] == 98_304_000)
        #expect(kill.memcgStats["pgfault"] == nil, "a counter, not bytes")
        #expect(kill.taskTableColumns.contains("pgtables_bytes"))
        #expect(kill.taskCount == 5)
        #expect(kill.trigger?.pid == 48215)
        #expect(kill.reaped != nil)
        #expect(kill.isComplete)
        #expect(kill.classification == .testOrAction)
        #expect(kill.classificationReason.contains("41040"))
        #expect(kill.location.line == 2)
    }

    @Test func kernel618RealReportFromThisProject() throws {
        let report = try Self.read("c-6.18-memcg-v1-real.dmesg")
        #expect(report.kills.count == 1)
        let kill = try #require(report.kills.first)
        let victim = try #require(kill.victim)
        #expect(victim.name == "python3" && victim.pid == 26081 && victim.uid == 0)
        #expect(victim.anonRssBytes == 65152 * Self.kB)
        #expect(victim.fileRssBytes == 2904 * Self.kB)
        #expect(victim.shmemRssBytes == 0)
        #expect(victim.pageTablesBytes == 188 * Self.kB)
        #expect(kill.constraint == .memcg)
        #expect(kill.memcg == "/headroom-probe")
        #expect(kill.taskMemcg == "/headroom-probe")
        #expect(kill.limitBytes == 64 << 20)
        #expect(kill.usageBytes == 64 << 20)
        #expect(kill.failCount == 2811)
        #expect(kill.memcgStats["rss"] == 66_715_648)
        #expect(kill.memcgStats["hierarchical_memory_limit"] == 67_108_864)
        #expect(kill.taskTableColumns == ["pid", "uid", "tgid", "total_vm", "rss", "rss_anon", "rss_file", "rss_shmem", "pgtables_bytes", "swapents", "oom_score_adj", "name"])
        let task = try #require(kill.tasks.first)
        #expect(task.rssBytes == 17014 * Self.page)
        #expect(task.anonRssBytes == 16288 * Self.page)
        #expect(task.fileRssBytes == 726 * Self.page)
        #expect(task.shmemRssBytes == 0)
        #expect(task.pageTablesBytes == 192_512)
        #expect(kill.trigger?.pid == 26081)
        #expect(kill.trigger?.gfpMask == "0xcc0(GFP_KERNEL)")
        #expect(kill.isComplete)
        #expect(kill.classification == .other)
    }

    @Test func globalOOMInJournalForm() throws {
        let report = try Self.read("d-6.1-global-journalctl.log", OOMClassificationContext(serverPIDs: [3100]))
        #expect(report.kills.count == 1)
        let kill = try #require(report.kills.first)
        #expect(kill.constraint == .global)
        #expect(kill.constraintRaw == "CONSTRAINT_NONE")
        #expect(kill.memcg == nil)
        #expect(kill.taskMemcg == "/user.slice/user-1000.slice/session-3.scope")
        #expect(kill.limitBytes == nil && kill.usageBytes == nil)
        #expect(kill.hostRAMBytes == 4_194_174 * Self.page)
        let victim = try #require(kill.victim)
        #expect(victim.name == "java" && victim.pid == 3100 && victim.uid == 1000)
        #expect(victim.anonRssBytes == 12_427_308 * Self.kB)
        #expect(kill.killMessage == "Out of memory")
        // A JVM thread's name, with a space in it.
        #expect(kill.trigger?.name == "C2 CompilerThre")
        #expect(kill.trigger?.pid == 3188)
        #expect(kill.time.printed == "Nov 21 20:41:12")
        #expect(kill.time.epochSeconds == Self.nov21)
        #expect(kill.time.uptimeSeconds == nil)
        #expect(kill.taskCount == 13)
        #expect(kill.tasks.first { $0.name == "sshd" }?.oomScoreAdj == -1000)
        #expect(kill.reaped != nil)
        #expect(kill.classification == .bazelServer)
    }

    @Test func globalOOMClassificationNeedsMoreThanTheNameJava() throws {
        let unknown = try #require(try Self.read("d-6.1-global-journalctl.log").kills.first)
        #expect(unknown.classification == .other)
        #expect(unknown.javaPIDsInTaskTable == [3100, 4410])

        let commandLine = "bazel(src) -XX:+HeapDumpOnOutOfMemoryError -Xmx12g -jar /home/ci/.cache/bazel/_bazel_ci/install/7d1e/A-server.jar --max_idle_secs=10800"
        let byCommandLine = try #require(try Self.read("d-6.1-global-journalctl.log", OOMClassificationContext(commandLines: [3100: commandLine])).kills.first)
        #expect(byCommandLine.classification == .bazelServer)
        #expect(byCommandLine.classificationReason.contains("A-server.jar"))

        // Another process (pretend 4410 is the server) in the victim's cgroup: the victim shares its scope.
        let shared = OOMClassificationContext(serverPIDs: [4410], cgroupByPID: [4410: "/user.slice/user-1000.slice/session-3.scope"])
        #expect(try Self.read("d-6.1-global-journalctl.log", shared).kills.first?.classification == .testOrAction)
        // The task table of a global OOM is the whole machine: it says nothing about scope.
        #expect(try Self.read("d-6.1-global-journalctl.log", OOMClassificationContext(serverPIDs: [4410])).kills.first?.classification == .other)
    }

    @Test func dmesgWallClockFormAndServerByCommandLine() throws {
        let server = "bazel(src) -XX:+HeapDumpOnOutOfMemoryError -Xmx3g -jar /root/.cache/bazel/_bazel_root/install/5f0e/A-server.jar --max_idle_secs=10800"
        let worker = "/usr/lib/jvm/java-17/bin/java -jar bazel-out/host/bin/JavaBuilder_deploy.jar --persistent_worker"
        let context = OOMClassificationContext(commandLines: [8801: server, 9001: worker])
        let kill = try #require(try Self.read("e-5.15-memcg-v2-dmesg-T.log", context).kills.first)
        #expect(kill.time.printed == "Sat Nov 21 20:41:12 2026")
        #expect(kill.time.epochSeconds == Self.nov21)
        #expect(kill.time.utc == "2026-11-21T20:41:12.000Z")
        let victim = try #require(kill.victim)
        #expect(victim.name == "node" && victim.pid == 9120)
        #expect(victim.anonRssBytes == 1_110_008 * Self.kB && victim.fileRssBytes == 4156 * Self.kB && victim.shmemRssBytes == 0)
        #expect(kill.memcg == "/system.slice/docker-3f9a07c1e2b4.scope")
        #expect(kill.limitBytes == 4 << 30)
        #expect(kill.swapLimitBytes == 0)
        #expect(kill.memcgStats["anon"] == 4_186_046_464)
        #expect(kill.memcgStats["thp_collapse_alloc"] == nil)
        #expect(kill.serverPIDsInTaskTable == [8801])
        #expect(kill.javaPIDsInTaskTable == [8801, 9001])
        #expect(kill.classification == .testOrAction)
        #expect(kill.classificationReason.contains("8801"))

        // dmesg -T prints local time: the offset moves the epoch, not the printed text.
        let east = try #require(try Self.read("e-5.15-memcg-v2-dmesg-T.log", options: OOMReadOptions(utcOffsetSeconds: 3600)).kills.first)
        #expect(east.time.epochSeconds == Self.nov21 - 3600)
    }

    @Test func kernLogWithTwoKillsAmongOtherMessages() throws {
        let report = try Self.read("f-6.8-two-kills-kern.log", OOMClassificationContext(serverPIDs: [20110]))
        #expect(report.linesRead == 191)
        #expect(report.kills.count == 2)
        let test = report.kills[0]
        let server = report.kills[1]

        #expect(test.victim?.name == "python3" && test.victim?.pid == 22817 && test.victim?.uid == 998)
        #expect(test.victim?.anonRssBytes == 3_234_808 * Self.kB)
        #expect(test.victim?.fileRssBytes == 11792 * Self.kB)
        #expect(test.time.epochSeconds.map { abs($0 - 1_795_294_929.880412) < 1e-5 } == true)
        #expect(test.time.printed == "2026-11-21T21:02:09.880412+00:00")
        #expect(test.location.line == 2)
        #expect(test.reaped?.location.line == 96)
        #expect(test.classification == .testOrAction)
        #expect(test.memcg == "/system.slice/buildkite-agent.service")
        #expect(test.limitBytes == 12 << 30)
        #expect(test.taskCount == 6)
        #expect(test.tasks.first?.anonRssBytes == 2_205_321 * Self.page)

        #expect(server.victim?.name == "java" && server.victim?.pid == 20110)
        #expect(server.victim?.anonRssBytes == 11_931_244 * Self.kB)
        #expect(server.victim?.fileRssBytes == 18876 * Self.kB)
        #expect(server.victim?.shmemRssBytes == 0)
        #expect(server.reaped?.anonRssBytes == 412 * Self.kB)
        #expect(server.memcgStats["anon"] == 12_394_897_408)
        #expect(server.location.line == 98)
        #expect(server.trigger?.name == "skyframe-evalua")
        #expect(server.classification == .bazelServer)
        #expect(server.isComplete && test.isComplete)
    }

    @Test func reportCutOffBeforeItsKillLine() throws {
        let report = try Self.read("g-6.8-cut-off.dmesg")
        #expect(report.kills.count == 1)
        let kill = try #require(report.kills.first)
        #expect(!kill.isComplete)
        #expect(kill.hasHeader && !kill.hasKillLine)
        #expect(kill.victim == nil)
        #expect(kill.constraint == .memcg, "memory: usage lines are printed for memcg OOMs only")
        #expect(kill.memcg == "/user.slice/user-1000.slice/user@1000.service/app.slice/bazel-dev.scope")
        #expect(kill.limitBytes == 16 << 30)
        #expect(kill.swapUsageBytes == 2 << 30 && kill.swapLimitBytes == 2 << 30)
        #expect(kill.taskCount == 4, "the half-written last row is not a row")
        #expect(kill.tasks.first?.name == "java")
        #expect(kill.tasks.first?.swapBytes == 401_201 * Self.page)
        #expect(kill.notes.contains { $0.contains("ended") })
        #expect(kill.classification == .other)
        #expect(kill.trigger?.name == "clang-17")
    }

    // MARK: - JSON

    @Test func jsonHasTheAgreedKeysAndExplicitNulls() throws {
        let report = try Self.read("b-5.4-memcg-v2-summary.dmesg", OOMClassificationContext(serverPIDs: [41040]))
        let object = try JSONSerialization.jsonObject(with: Data(try JSONRenderer.render(report).utf8)) as? [String: Any]
        let kills = try #require(object?["kills"] as? [[String: Any]])
        let kill = try #require(kills.first)
        for key in ["time", "victim", "constraint", "memcg", "limitBytes", "usageBytes", "classification"] {
            #expect(kill[key] != nil, "missing \(key)")
        }
        let victim = try #require(kill["victim"] as? [String: Any])
        for key in ["name", "pid", "anonRssBytes", "fileRssBytes", "shmemRssBytes"] {
            #expect(victim[key] != nil, "missing victim.\(key)")
        }
        #expect(victim["anonRssBytes"] as? Int64 == 1_838_724 * Self.kB)
        #expect(kill["constraint"] as? String == "memcg")
        #expect(kill["classification"] as? String == "test-or-action")
        #expect(kill["memcg"] as? String == "/system.slice/bazel-ci.scope")
        #expect(kill["limitBytes"] as? Int64 == 6_291_456 * Self.kB)

        // A missing figure is null, not an absent key.
        let cut = try JSONSerialization.jsonObject(with: Data(try JSONRenderer.render(try Self.read("g-6.8-cut-off.dmesg")).utf8)) as? [String: Any]
        let cutKill = try #require((cut?["kills"] as? [[String: Any]])?.first)
        #expect(cutKill["victim"] is NSNull)
        #expect(cutKill["constraintRaw"] is NSNull)

        let global = try JSONSerialization.jsonObject(with: Data(try JSONRenderer.render(try Self.read("d-6.1-global-journalctl.log")).utf8)) as? [String: Any]
        let globalKill = try #require((global?["kills"] as? [[String: Any]])?.first)
        #expect(globalKill["constraint"] as? String == "global")
        #expect(globalKill["memcg"] is NSNull)
        #expect(globalKill["limitBytes"] is NSNull)
    }
}
