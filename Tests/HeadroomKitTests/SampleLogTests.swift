import Foundation
import Testing
import HeadroomKit

/// Headroom's sample log: the writer's records, reading them back, and damaged or cut logs.
@Suite struct SampleLogTests {
    static func sample(_ time: Double, rss: Int64) -> MemorySample {
        var sample = MemorySample(time: time)
        var java = ProcessMemory(pid: 4242, name: "java", rssBytes: rss)
        java.peakRSSBytes = rss + 1
        java.anonBytes = rss - 4096
        java.fileBytes = 4096
        java.shmemBytes = 0
        sample.processes = ProcessTreeMemory(
            rootPID: 4242, processCount: 1, rssBytes: rss, anonBytes: rss - 4096, fileBytes: 4096, shmemBytes: 0,
            rootPeakRSSBytes: rss + 1, largest: [java])
        var cgroup = CgroupMemory(version: 2, path: "/system.slice/bazel.scope")
        cgroup.usageBytes = rss * 2
        cgroup.limitBytes = 4 << 30
        var events = CgroupMemoryEvents()
        events.oomKill = 1
        cgroup.events = events
        cgroup.oomKillCount = 1
        cgroup.pressure = MemoryPressure(some: PressureStall(avg10: 1.25, avg60: 0.5, avg300: 0.125, totalMicroseconds: 99), full: nil)
        sample.cgroup = cgroup
        var host = HostMemory()
        host.totalBytes = 16 << 30
        sample.host = host
        return sample
    }

    @Test func writtenLogReadsBackTheSameSamples() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("samples.jsonl").path
        let samples = [Self.sample(1_714_557_600.25, rss: 1 << 30), Self.sample(1_714_557_601.25, rss: 3 << 29), MemorySample(time: 1_714_557_602)]
        let writer = try SampleLogWriter(path: path, overwrite: false)
        try writer.writeHeader(SampleLogHeader(target: "pid 4242 (java)", interval: 1))
        for sample in samples { try writer.write(sample) }
        try writer.writeEnd(SampleLogEnd(reason: "the target exited", time: 1_714_557_603))
        writer.close()

        var read: [MemorySample] = []
        let summary = try SampleLogReader.read(path) { read.append($0) }
        #expect(read == samples)
        #expect(summary.samples == 3)
        #expect(summary.linesRead == 5)
        #expect(summary.badLineCount == 0)
        #expect(summary.header == SampleLogHeader(target: "pid 4242 (java)", interval: 1))
        #expect(summary.header?.toolVersion == HeadroomVersion.current)
        #expect(summary.endReason == "the target exited")
        #expect(!summary.isPartial)
        #expect(summary.format == .sampleLog)
        #expect(summary.encoding == .plain)
    }

    @Test func everyRecordIsOneFlatObjectTaggedWithItsKind() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("samples.jsonl").path
        let writer = try SampleLogWriter(path: path, overwrite: false)
        try writer.writeHeader(SampleLogHeader(target: "cgroup /x", interval: 0.5))
        try writer.write(Self.sample(10, rss: 4096))
        try writer.writeEnd(SampleLogEnd(reason: "interrupted"))
        writer.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["record"] as? String } == ["header", "sample", "end"])
        #expect(objects[0]["format"] as? String == "headroom-samples")
        #expect(objects[0]["version"] as? Int == 1)
        #expect(objects[0]["interval"] as? Double == 0.5)
        // The sample's own fields sit at the top level; absent figures are left out, not null.
        #expect(Set(objects[1].keys).isSuperset(of: ["record", "time"]))
        #expect(objects[1]["time"] as? Double == 10)
        if let cgroup = objects[1]["cgroup"] as? [String: Any] {
            #expect(cgroup["peakBytes"] == nil)
        }
        #expect(objects[2]["reason"] as? String == "interrupted")
    }

    @Test func existingFileIsKeptUnlessOverwriting() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("samples.jsonl").path
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SampleLogWriter.WriteError.self) { try SampleLogWriter(path: path, overwrite: false) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep\n")
        let writer = try SampleLogWriter(path: path, overwrite: true)
        try writer.write(MemorySample(time: 1))
        writer.close()
        #expect(throws: SampleLogWriter.WriteError.self) { try writer.write(MemorySample(time: 2)) }
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{"))
        #expect(throws: SampleLogWriter.WriteError.self) { try SampleLogWriter(path: directory.path + "/missing/x.jsonl", overwrite: true) }
    }

    @Test func eachRecordIsOnDiskBeforeTheNextIsTaken() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("samples.jsonl").path
        let writer = try SampleLogWriter(path: path, overwrite: false)
        try writer.writeHeader(SampleLogHeader(target: nil, interval: nil))
        for index in 0..<3 {
            try writer.write(MemorySample(time: Double(index)))
            // Read by another descriptor while the writer is still open, as after a kill.
            var count = 0
            let summary = try SampleLogReader.read(path) { _ in count += 1 }
            #expect(count == index + 1)
            #expect(summary.isPartial)
            #expect(summary.badLineCount == 0)
        }
        writer.close()
    }

    @Test func fixtureWithUnknownRecordsAndFields() throws {
        var samples: [MemorySample] = []
        let summary = try SampleLogReader.read(LiveFixtures.path("series/sample-log.jsonl")) { samples.append($0) }
        #expect(samples.map(\.time) == [1_714_557_600, 1_714_557_601, 1_714_557_602])
        #expect(summary.badLineCount == 0)
        #expect(summary.header?.target == "pid 4242 (java)")
        #expect(summary.header?.interval == 1)
        #expect(summary.endReason == "the target exited")
        #expect(!summary.isPartial)
        let first = try #require(samples.first)
        #expect(first.processes?.largest.map(\.name) == ["java", "cc1plus", "process-wrapper"])
        #expect(first.processes?.processCount == 3)
        #expect(first.cgroup?.limitBytes == 4_294_967_296)
        #expect(first.cgroup?.peakBytes == nil)
        #expect(first.cgroup?.pressure?.some?.totalMicroseconds == 1203)
        #expect(first.host?.totalBytes == 25_276_510_208)
    }

    @Test func killedRunKeepsItsSamplesAndIsPartial() throws {
        var count = 0
        let summary = try SampleLogReader.read(LiveFixtures.path("series/sample-log-killed.jsonl")) { _ in count += 1 }
        #expect(count == 2)
        #expect(summary.isPartial)
        #expect(summary.endReason == nil)
        #expect(summary.badLines.map(\.line) == [4])
    }

    @Test func malformedLinesAreSkippedWithTheirNumbers() throws {
        var times: [Double] = []
        let path = LiveFixtures.path("series/sample-log-malformed.jsonl")
        let summary = try SampleLogReader.read(path) { times.append($0.time) }
        #expect(times == [1_714_557_600, 1_714_557_602])
        #expect(summary.badLineCount == 6)
        #expect(summary.badLines.map(\.line) == [3, 4, 5, 6, 7, 8])
        #expect(summary.badLines.allSatisfy { $0.path == path })
        let reasons = summary.badLines.map(\.reason)
        #expect(reasons[0] == "not a JSON object")
        #expect(reasons[1] == "no \"record\" field")
        #expect(reasons[2] == "sample record: wrong type at time")
        #expect(reasons[3] == "sample record: missing time")
        #expect(reasons[4] == "not a JSON object")
        #expect(reasons[5].hasPrefix("sample record: missing processes."))
        #expect(summary.badLines[0].description == "\(path):3: not a JSON object")
        #expect(summary.endReason == "interrupted")
        #expect(!summary.isPartial)
    }

    @Test func gzipLogIsReadTheSame() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try Data(contentsOf: LiveFixtures.root.appendingPathComponent("series/sample-log.jsonl"))
        let path = directory.appendingPathComponent("samples.jsonl.gz").path
        try TestSupport.gzip(plain).write(to: URL(fileURLWithPath: path))
        var fromGzip: [MemorySample] = []
        let summary = try SampleLogReader.read(path) { fromGzip.append($0) }
        var fromPlain: [MemorySample] = []
        _ = try SampleLogReader.read(LiveFixtures.path("series/sample-log.jsonl")) { fromPlain.append($0) }
        #expect(summary.encoding == .gzip)
        #expect(fromGzip == fromPlain)
        #expect(fromGzip.count == 3)
    }

    @Test func onlyTheFirstTwentyBadLinesAreKept() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.jsonl").path
        let text = (0..<50).map { "{\"record\":\"sample\",\"time\":\($0)}\nbroken \($0)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var count = 0
        let summary = try SampleLogReader.read(path) { _ in count += 1 }
        #expect(count == 50)
        #expect(summary.badLineCount == 50)
        #expect(summary.badLines.count == MemorySeriesSummary.badLineExampleLimit)
        #expect(summary.badLines.last?.line == 40)
    }

    @Test func laterFormatVersionIsReadWithAWarning() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("v2.jsonl").path
        let text = """
            {"record":"header","format":"headroom-samples","version":2,"compression":"none"}
            {"record":"sample","time":5,"processes":null,"gpu":{"bytes":1}}
            {"record":"header","format":"someone-else","version":1}
            {"record":"end","reason":"done"}

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var samples: [MemorySample] = []
        let summary = try SampleLogReader.read(path) { samples.append($0) }
        #expect(samples == [MemorySample(time: 5)])
        #expect(summary.header?.version == 2)
        #expect(summary.warnings.count == 1)
        #expect(summary.badLines.map(\.line) == [3])
    }

    @Test func errorsFromTheCallerStopReading() throws {
        struct Stop: Error {}
        var count = 0
        #expect(throws: Stop.self) {
            _ = try SampleLogReader.read(LiveFixtures.path("series/sample-log.jsonl")) { _ in
                count += 1
                throw Stop()
            }
        }
        #expect(count == 1)
    }
}
