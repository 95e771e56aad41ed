import Foundation
import Testing
import HeadroomKit

/// Reading bytes: gzip by magic bytes, concatenated and truncated members, line splitting.
@Suite struct InputReadingTests {
    static let pauseLine = "[1.500s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms\n"

    static func log(pauses: Int, startID: Int = 0) -> String {
        (0..<pauses).map { index in
            "[\(index + 1).500s][info][gc] GC(\(startID + index)) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms\n"
        }.joined()
    }

    @Test func progressIsReportedEveryStepAndBytesPassUnchanged() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.log")
        let line = Array(repeating: "[1.000s][info][gc] GC(0) Pause Young (Normal) 10M->5M(64M) 1.000ms", count: 20_000).joined(separator: "\n") + "\n"
        try Data(line.utf8).write(to: file)
        var reports: [Int64] = []
        let reader = ProgressChunkReader(source: try FileChunkReader(path: file.path), step: 256 << 10) { reports.append($0) }
        var total = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { buffer.deallocate() }
        while case let count = try reader.read(into: buffer), count > 0 { total += count }
        #expect(total == line.utf8.count)
        #expect(reports.count == line.utf8.count / (256 << 10))
        #expect(reports == reports.sorted())
    }

    @Test func gzipIsDetectedByContentNotName() throws {
        let compressed = try TestSupport.gzip(Data(Self.log(pauses: 50).utf8))
        let summary = try TestSupport.analyze(data: compressed, name: "gc.log")
        #expect(summary.inputs.first?.encoding == "gzip")
        #expect(summary.pauseCount == 50)
        #expect(!summary.isPartial)
    }

    @Test func concatenatedGzipMembersAreAllRead() throws {
        var data = try TestSupport.gzip(Data(Self.log(pauses: 10).utf8))
        data.append(try TestSupport.gzip(Data(Self.log(pauses: 15, startID: 10).utf8)))
        let summary = try TestSupport.analyze(data: data, name: "gc.log.gz")
        #expect(summary.pauseCount == 25)
        #expect(!summary.isPartial)
    }

    @Test func truncatedGzipKeepsWhatCameBeforeTheCutAndIsPartial() throws {
        let text = Self.log(pauses: 2000)
        let compressed = try TestSupport.gzip(Data(text.utf8))
        let cut = compressed.prefix(compressed.count / 2)
        let summary = try TestSupport.analyze(data: Data(cut), name: "gc.log.gz")
        #expect(summary.isPartial)
        #expect(summary.pauseCount > 100)
        #expect(summary.pauseCount < 2000)
        #expect(summary.warnings.contains { $0.contains("truncated") })
    }

    @Test func corruptGzipStopsWithAWarning() throws {
        var compressed = try TestSupport.gzip(Data(Self.log(pauses: 500).utf8))
        for index in stride(from: compressed.count / 2, to: compressed.count / 2 + 64, by: 1) { compressed[index] ^= 0x5A }
        let summary = try TestSupport.analyze(data: compressed, name: "gc.log.gz")
        #expect(summary.isPartial)
        #expect(summary.pauseCount < 500)
    }

    @Test func linesSplitAcrossBufferRefillsAndCRLF() throws {
        let text = (0..<5000).map { "line \($0) " + String(repeating: "x", count: $0 % 97) + ($0 % 3 == 0 ? "\r\n" : "\n") }.joined()
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lines.txt")
        try Data(text.utf8).write(to: file)
        let reader = LineReader(source: try FileChunkReader(path: file.path), bufferSize: 256)
        var lines: [String] = []
        try reader.forEachLine { lines.append(String(decoding: $0.bytes, as: UTF8.self)) }
        // Split the bytes: Swift reads "\r\n" as one Character, which String.split would not cut.
        let expected = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        #expect(lines.count == 5000)
        let firstDifference = zip(lines, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first difference at line \(firstDifference?.offset ?? -1)")
    }

    @Test func anOverlongLineIsCutAndTheRestStillReads() throws {
        let text = "first\n" + String(repeating: "y", count: 10_000) + "\nlast\n"
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("long.txt")
        try Data(text.utf8).write(to: file)
        let reader = LineReader(source: try FileChunkReader(path: file.path), bufferSize: 1024)
        var lines: [(String, Bool)] = []
        try reader.forEachLine { lines.append((String(decoding: $0.bytes, as: UTF8.self), $0.isTruncated)) }
        #expect(lines.count == 3)
        #expect(lines[0].0 == "first")
        #expect(lines[1].0.count == 1024 && lines[1].1)
        #expect(lines[2].0 == "last")
        #expect(reader.truncatedLines == 1)
    }

    @Test func missingFileAndDirectoryErrorsNameThePath() throws {
        #expect(throws: InputError.self) { try GCLogAnalysis.run(paths: ["/nonexistent/gc.log"]) }
        do {
            _ = try GCLogAnalysis.run(paths: ["/nonexistent/gc.log"])
        } catch let error as InputError {
            #expect(error.description.contains("/nonexistent/gc.log"))
            #expect(error.description.contains("no such file"))
        }
    }

    @Test func binaryGarbageIsReportedNotFatal() throws {
        var bytes = [UInt8](repeating: 0, count: 100_000)
        var state: UInt32 = 12345
        for index in bytes.indices {
            state = state &* 1_103_515_245 &+ 12345
            bytes[index] = UInt8(truncatingIfNeeded: state >> 16)
        }
        let summary = try TestSupport.analyze(data: Data(bytes), name: "random.bin")
        #expect(summary.pauseCount == 0)
        #expect(summary.coverage.unrecognizedCount > 0)
        #expect(summary.warnings.contains("no garbage collections found in the input"))
    }
}
