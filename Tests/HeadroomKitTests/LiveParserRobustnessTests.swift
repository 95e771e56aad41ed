import Foundation
import Testing
import HeadroomKit

/// Damaged input of every shape goes through each live and series parser without a trap.
@Suite struct LiveParserRobustnessTests {
    /// Deterministic noise made of the pieces these formats are built from.
    struct Noise {
        var state: UInt64

        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }

        static let pieces = [
            "0", "7", "4096", "-1", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1.5",
            "nan", "max", " ", "\t", "\n", "\r\n", ":", "=", ",", "(", ")", "#", "kB", "K", "G", "some", "full", "avg10",
            "total", "anon", "file", "oom_kill", "Name", "VmRSS", "PPid", "memory", "0::", "4:memory:", "/", "-", "PID",
            "RSS", "Time", "Linux ", "Average:", "{", "}", "\"record\"", "\"sample\"", "\u{FFFD}", "\u{0}", "é", "AM", "PM",
        ]

        mutating func text(maxPieces: Int = 60) -> String {
            (0..<Int(next() % UInt64(maxPieces))).map { _ in Self.pieces[Int(next() % UInt64(Self.pieces.count))] }.joined()
        }
    }

    @Test func textParsersNeverTrap() {
        var noise = Noise(state: 42)
        for _ in 0..<3000 {
            let text = noise.text()
            _ = PressureParser.parse(text)
            _ = ProcStatusReader.parse(text, pid: 1)
            _ = ProcessTreeReader.parentPID(inStat: Array(text.utf8))
            _ = CgroupMemoryReader.parseEvents(text)
            _ = CgroupMemoryReader.parseV2Stat(text)
            _ = CgroupMemoryReader.parseV1Stat(text)
            _ = HostMemoryReader.parseMeminfo(text)
            _ = CgroupMountTable.parse(mountinfo: text)
            _ = CgroupLocator.memoryMembership(inProcCgroup: text)
            _ = TwoColumnSeriesReader.parse(Substring(text))
            _ = SeriesFields.seconds(Substring(text))
            _ = SeriesFields.bytes(Substring(text))
            _ = PidstatReader.clockSeconds(Substring(text))
            _ = PidstatReader.bannerDay(Substring(text))
            _ = MemorySeriesReader.detect(head: Array(text.utf8))
        }
    }

    @Test func damagedFilesNeverTrapTheReaders() throws {
        let folder = try LiveFixtures.FakeProc()
        defer { folder.cleanUp() }
        var noise = Noise(state: 7)
        let cgroupFiles = [
            "memory.current", "memory.peak", "memory.max", "memory.high", "memory.swap.current", "memory.swap.max",
            "memory.events", "memory.stat", "memory.pressure",
        ]
        let v1Files = [
            "memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.limit_in_bytes", "memory.failcnt", "memory.oom_control",
            "memory.stat", "memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes", "memory.kmem.usage_in_bytes",
        ]
        for round in 0..<100 {
            for name in cgroupFiles { try folder.write("v2/\(round)/\(name)", noise.text()) }
            for name in v1Files { try folder.write("v1/\(round)/\(name)", noise.text()) }
            _ = CgroupMemoryReader.read(directory: folder.path + "/v2/\(round)")
            _ = CgroupMemoryReader.read(directory: folder.path + "/v1/\(round)")
            try folder.write("\(round + 2)/status", noise.text())
            try folder.write("\(round + 2)/stat", noise.text())
        }
        _ = ProcessTreeReader(procRoot: folder.path).read(rootPID: 2)
        for format in [MemorySeriesFormat.sampleLog, .pidstat, .twoColumn] {
            let text = (0..<200).map { _ in noise.text() }.joined(separator: "\n")
            try folder.write("series-\(format.rawValue)", text)
            _ = try MemorySeriesReader.read(folder.path + "/series-\(format.rawValue)", format: format) { _ in }
        }
        _ = try CgroupSnapshotReader.read(folder.path + "/v2") { _ in }
    }
}
