import Foundation
import Testing
import HeadroomKit

/// Kernel OOM reports: line forms, broken reports, large tables, stamps and classification.
extension OOMReportTests {
    // MARK: - Line forms and edge cases

    @Test func syslogWithKernelStampPriorityAndKmsgPrefixes() {
        let syslog = """
            Nov  3 04:05:06 host kernel: [ 4242.000100] sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            Nov  3 04:05:06 host systemd[1]: Started Killed process 1 (fake) total-vm:1kB, anon-rss:1kB, file-rss:1kB, shmem-rss:0kB.
            Nov  3 04:05:06 host kernel: [ 4242.000900] Memory cgroup out of memory: Killed process 77 ((sd-pam)) total-vm:1000kB, anon-rss:100kB, file-rss:20kB, shmem-rss:4kB, UID:0 pgtables:8kB oom_score_adj:-100
            """
        let kill = Self.read(text: syslog).kills
        #expect(kill.count == 1)
        #expect(kill.first?.victim?.name == "(sd-pam)")
        #expect(kill.first?.victim?.oomScoreAdj == -100)
        #expect(kill.first?.victim?.rssBytes == 124 * Self.kB)
        #expect(kill.first?.time.uptimeSeconds == 4242.0001)
        #expect(kill.first?.time.printed == "Nov  3 04:05:06")
        #expect(kill.first?.constraint == .memcg, "inferred from the kill message")

        let kmsg = """
            4,1201,4242000100,-;sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            3,1260,4242000900,-;Out of memory: Killed process 78 (sh) total-vm:1000kB, anon-rss:100kB, file-rss:20kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0
            """
        let fromKmsg = Self.read(text: kmsg).kills.first
        #expect(fromKmsg?.time.uptimeSeconds == 4242.0001)
        #expect(fromKmsg?.victim?.pid == 78)
        #expect(fromKmsg?.constraint == .global)

        // dmesg --time-format iso: a comma before the fraction, and no host or tag.
        let iso = """
            2026-11-21T21:41:12,000100+01:00 C2 CompilerThre invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            2026-11-21T21:41:12,000200+01:00 memory: usage 1024kB, limit 1024kB, failcnt 1
            2026-11-21T21:41:12,000900+01:00 Memory cgroup out of memory: Killed process 80 (sh) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB
            """
        let fromISO = Self.read(text: iso).kills.first
        #expect(fromISO?.trigger?.name == "C2 CompilerThre")
        #expect(fromISO?.limitBytes == 1024 * Self.kB)
        #expect(fromISO?.victim?.pid == 80)
        #expect(fromISO?.time.epochSeconds.map { abs($0 - (Self.nov21 + 0.0001)) < 1e-6 } == true)

        let relative = "[Nov21 20:41] sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[  +0.000100] Out of memory: Killed process 81 (sh) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB"
        let fromRelative = Self.read(text: relative).kills.first
        #expect(fromRelative?.trigger?.name == "sh")
        #expect(fromRelative?.time.printed == "Nov21 20:41")
        #expect(fromRelative?.isComplete == true)

        let priority = "<4>[ 10.500000] sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n<3>[ 10.600000] Out of memory: Killed process 79 (sh) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB"
        #expect(Self.read(text: priority).kills.first?.victim?.pid == 79)
    }

    @Test func loneKillLinesAndBrokenReports() {
        let text = """
            [  100.000000] oom_kill_process: 12 callbacks suppressed
            [  100.000100] Memory cgroup out of memory: Killed process 500 (a) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB
            [  200.000000] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            [  200.000100] memory: usage 1024kB, limit 1024kB, failcnt 1
            [  201.000000] c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            [  201.000100] Killed process 215701, UID 679, (java) total-vm:11017300kB, anon-rss:7152432kB, file-rss:1232kB
            [  300.000000] Tasks in /ci/job are going to be killed due to memory.oom.group set
            [  300.000100] Memory cgroup out of memory: Killed process 601 (d) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0
            [  300.000200] Memory cgroup out of memory: Killed process 602 (e) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0
            """
        let kills = Self.read(text: text).kills
        #expect(kills.count == 3)
        // Rate-limited: only the kill line was printed.
        #expect(kills[0].victim?.pid == 500 && !kills[0].hasHeader && kills[0].hasKillLine && !kills[0].isComplete)
        #expect(kills[0].constraint == .memcg)
        // Another report began before this one's kill line.
        #expect(kills[1].trigger?.name == "b" && kills[1].victim == nil && !kills[1].isComplete)
        #expect(kills[1].limitBytes == 1024 * Self.kB)
        // RHEL 6 form, then the memory.oom.group kills attached to it.
        #expect(kills[2].victim?.pid == 215_701 && kills[2].victim?.uid == 679 && kills[2].victim?.name == "java")
        #expect(kills[2].oomGroup == "/ci/job")
        #expect(kills[2].groupKilled.map(\.pid) == [601, 602])
    }

    @Test func largeTaskTablesKeepTheLargestRows() {
        var text = "[ 5.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
        text += "[ 5.000001] Tasks state (memory values in pages):\n"
        text += "[ 5.000002] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
        for pid in 1...200 {
            text += "[ 5.000003] [\(String(repeating: " ", count: 7 - String(pid).count))\(pid)]     0 \(pid)     1000 \(pid * 10)    4096        0             0 task \(pid)\n"
        }
        text += "[ 5.000004] Out of memory: Killed process 200 (task 200) total-vm:4000kB, anon-rss:8000kB, file-rss:0kB, shmem-rss:0kB\n"
        let kill = Self.read(text: text).kills.first
        #expect(kill?.taskCount == 200)
        #expect(kill?.tasks.count == 64)
        #expect(kill?.omittedTaskCount == 136)
        #expect(kill?.tasks.first?.pid == 200)
        #expect(kill?.tasks.first?.name == "task 200")
        #expect(kill?.tasks.last?.pid == 137)
    }

    @Test func gzipInputReadsLikePlain() throws {
        let plain = try Data(contentsOf: Self.fixtures.appendingPathComponent("b-5.4-memcg-v2-summary.dmesg"))
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kern.log.2.gz")
        try TestSupport.gzip(plain).write(to: file)
        let report = try OOMReportReading.read(paths: [file.path])
        #expect(report.kills.count == 1)
        #expect(report.kills.first?.victim?.pid == 48211)
    }

    @Test func unreadableInputThrows() {
        #expect(throws: InputError.self) {
            try OOMReportReading.read(paths: ["/nonexistent/kern.log"])
        }
    }

    // MARK: - Classification and text

    @Test func javaVictimWithoutEvidenceIsNotCalledTheServer() {
        var kill = OOMKill(location: SourceLocation(file: "x", line: 1), time: OOMKill.Time())
        kill.victim = OOMKill.Victim(name: "java", pid: 10)
        kill.constraint = .memcg
        kill.javaPIDsInTaskTable = [10, 11]
        #expect(OOMClassifier.classify(kill, context: OOMClassificationContext()).0 == .other)
        // A command line is only trusted for a task the kernel calls java.
        kill.victim = OOMKill.Victim(name: "python3", pid: 10)
        let context = OOMClassificationContext(commandLines: [10: "java -jar A-server.jar"])
        #expect(context.serverEvidence(pid: 10, name: "python3") == nil)
        #expect(OOMClassifier.classify(kill, context: context).0 == .testOrAction)
        #expect(OOMClassifier.isSameOrBeneath("/a/b", "/a"))
        #expect(!OOMClassifier.isSameOrBeneath("/ab", "/a"))
        #expect(!OOMClassifier.isSameOrBeneath("/a", "/"), "the root cgroup is no shared scope")
    }

    /// Found by the `oom-report` fuzzer: a `dmesg -T` stamp with a 14-digit year overflowed the
    /// day count and trapped. Such a stamp is no stamp; the lines still read.
    @Test(arguments: ["20555555555526", "9223372036854775807", "0", "1969", "10000"])
    func aWallClockStampWithAnImpossibleYearIsNoStamp(year: String) {
        let text = """
            [Sat Nov 21 20:41:12 \(year)] node invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            [Sat Nov 21 20:41:12 2026] Out of memory: Killed process 9124 (node) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0
            """
        let report = Self.read(text: text)
        #expect(report.linesRead == 2)
        #expect(report.kills.count == 1)
        #expect(report.kills.first?.victim?.pid == 9124)
    }

    @Test func textReportShowsOneBlockPerKill() throws {
        let text = OOMTextRenderer.render(try Self.read("f-6.8-two-kills-kern.log", OOMClassificationContext(serverPIDs: [20110])))
        #expect(text.contains("2 OOM kills found"))
        #expect(text.contains("OOM kill 1 of 2 at "))
        #expect(text.contains("python3 (pid 22817, uid 998)"))
        #expect(text.contains("3159.0 anon + 11.5 file + 0.0 shmem"))
        #expect(text.contains("bazel-server: pid 20110 is a known Bazel server"))
        #expect(text.contains("12288.0 / 12288.0 MiB, failcnt 2207"))
        #expect(text.contains("memcg (CONSTRAINT_MEMCG)"))
        #expect(OOMTextRenderer.render(Self.read(text: "[ 1.000000] nothing here\n")).hasPrefix("no OOM kills found"))
    }
}
