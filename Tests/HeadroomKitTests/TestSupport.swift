import Foundation
import HeadroomKit

/// Paths and small helpers shared by the tests.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repositoryRoot.appendingPathComponent("Corpus")
    /// Other people's GC logs, read in place beside the repository.
    static let sharedGCCorpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/gc-corpus")

    /// A fresh temporary directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a temporary file and analyses it.
    static func analyze(_ text: String, name: String = "gc.log") throws -> GCLogSummary {
        try analyze(data: Data(text.utf8), name: name)
    }

    static func analyze(data: Data, name: String = "gc.log") throws -> GCLogSummary {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try data.write(to: file)
        return try GCLogAnalysis.run(paths: [file.path])
    }

    /// Compresses with the system's gzip, a real encoder independent of ours.
    static func gzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return compressed
    }

    /// Collects events in order, for tests that look at single events.
    final class EventCollector: GCLogSink {
        var events: [GCEvent] = []
        var headers: [Int: JVMHeader] = [:]
        var segmentReasons: [String] = []
        func record(_ event: GCEvent) { events.append(event) }
        func beginSegment(_ index: Int, at location: SourceLocation, reason: String) { segmentReasons.append(reason) }
        func record(header: JVMHeader, forSegment index: Int) { headers[index] = header }
    }

    /// Parses `text` and returns the events and the parser (for coverage and headers).
    static func events(_ text: String) throws -> (events: [GCEvent], collector: EventCollector, parser: GCLogParser) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gc.log")
        try Data(text.utf8).write(to: file)
        let collector = EventCollector()
        var parser = GCLogParser(sink: collector)
        let opened = try InputOpener.open(file.path)
        try parser.parse(LineReader(source: opened.reader), file: "gc.log")
        parser.finish()
        return (collector.events, collector, parser)
    }
}

extension TestSupport {
    /// Runs a program with arguments (no shell) in `directory`; returns its exit status.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
