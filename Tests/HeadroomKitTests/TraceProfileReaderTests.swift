import Foundation
import Testing
import HeadroomKit

/// Hands out bytes held in memory, at most `step` at a time, so tokens straddle reads.
private final class SteppingReader: ChunkReader {
    let bytes: [UInt8]
    let step: Int
    var position = 0
    var warnings: [String] { [] }
    var isPartial: Bool { false }

    init(_ bytes: [UInt8], step: Int) {
        self.bytes = bytes
        self.step = step
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let count = min(step, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}

/// Collects the events a walk hands over.
private struct EventList: TraceProfileEventHandler {
    var events: [TraceProfileEvent] = []
    var otherData: [String: TraceProfileEvent.Scalar] = [:]
    var malformed = 0
    mutating func otherData(key: String, value: TraceProfileEvent.Scalar) { otherData[key] = value }
    mutating func event(_ event: TraceProfileEvent) { events.append(event) }
    mutating func malformedEvent() { malformed += 1 }
}

enum TraceProfileTestSupport {
    /// Walks `text` with reads of `step` bytes and the tokenizer's smallest buffer.
    fileprivate static func walkList(_ text: String, step: Int = 3) throws -> (list: EventList, outcome: TraceProfileEventReader.Outcome) {
        var walker = TraceProfileEventReader(reader: SteppingReader(Array(text.utf8), step: step), bufferSize: 16)
        var list = EventList()
        let outcome = try walker.walk(into: &list)
        return (list, outcome)
    }

    /// Summarises `text` read in small steps through a small buffer.
    static func summary(_ text: String, step: Int = 5) throws -> TraceProfileSummary {
        try TraceProfileReader.read(SteppingReader(Array(text.utf8), step: step), name: "profile.json", bufferSize: 16)
    }

    static func summary(data: Data, name: String) throws -> TraceProfileSummary {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try data.write(to: file)
        return try TraceProfileReader.read(path: file.path)
    }
}

@Suite struct TraceProfileTokenizerTests {
    @Test func escapesAreDecoded() throws {
        let text = #"[{"name":"a\"b\\c\/d\n\u00e9\u20AC\ud83d\ude00","cat":"x","ph":"i","ts":1}]"#
        let (list, outcome) = try TraceProfileTestSupport.walkList(text)
        #expect(outcome.syntaxError == nil && !outcome.truncated)
        #expect(list.events.count == 1)
        #expect(list.events.first?.name == "a\"b\\c/d\né€😀")
    }

    @Test func nestedArgsKeepOnlyScalars() throws {
        let text = """
            {"traceEvents":[{"ph":"X","ts":5,"dur":2.5,"pid":1,"tid":7,"name":"n","cname":"good",
            "args":{"deep":{"a":[1,{"b":"}"}]},"list":[1,2],"s":"v","n":-1.5e2,"t":true,"z":null},"out":{"x":[]}}]}
            """
        let (list, outcome) = try TraceProfileTestSupport.walkList(text)
        #expect(outcome.syntaxError == nil && !outcome.truncated)
        let event = try #require(list.events.first)
        #expect(event.arguments.map(\.key) == ["s", "n", "t", "z"])
        #expect(event.argument("n") == .number(-150))
        #expect(event.argument("t") == .bool(true))
        #expect(event.argument("z") == .null)
        #expect(event.timestamp == 5 && event.duration == 2.5 && event.processID == 1 && event.threadID == 7)
    }

    @Test func numbersParseExactly() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-17000", -17000), ("1.8599999999999997", 1.8599999999999997), ("8.395000000000001", 8.395000000000001),
            ("1e3", 1000), ("2.5E-3", 0.0025), ("12345678901234567890", 12_345_678_901_234_567_168), ("1.5e300", 1.5e300),
        ]
        for (text, expected) in cases {
            var bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeMutableBufferPointer { TraceJSONNumber.parse(UnsafeBufferPointer($0)) }
            #expect(parsed == expected, "\(text)")
        }
        for bad in ["", "-", "1.", ".5", "1e", "1x", "--1"] {
            var bytes = Array(bad.utf8)
            #expect(bytes.withUnsafeMutableBufferPointer { TraceJSONNumber.parse(UnsafeBufferPointer($0)) } == nil, "\(bad)")
        }
    }

    @Test func counterValuesAsStringsOrNumbers() throws {
        // Up to 6.x Bazel writes "memory":"123.45"; from 7.0 a number.
        let text = """
            {"traceEvents":[
            {"cat":"build phase marker","name":"Build artifacts","ph":"i","ts":0},
            {"name":"Memory usage (Bazel)","ph":"C","ts":100,"args":{"memory":"123.45"}},
            {"name":"Memory usage (Bazel)","ph":"C","ts":200,"args":{"memory":456.5}},
            {"name":"Memory usage (Bazel)","ph":"C","ts":300,"args":{"memory":" 99 "}},
            {"name":"Memory pressure stall level","ph":"C","ts":300,"args":{"level":2}}
            ]}
            """
        let summary = try TraceProfileTestSupport.summary(text)
        let memory = try #require(summary.counters.bazelMemoryMB)
        #expect(memory.samples == 3)
        #expect(memory.peak == 456.5 && memory.peakAtMicros == 200)
        #expect(memory.last == 99 && memory.lastAtMicros == 300)
        #expect(memory.executionPeak == 456.5)
        #expect(summary.counters.memoryPressureStallLevel?.peak == 2)
        #expect(summary.bazelMemorySeries.map(\.value) == [123.45, 456.5, 99])
    }

    @Test func bareArrayAndOtherDataAfterEvents() throws {
        let bare = try TraceProfileTestSupport.summary(#"[{"ph":"i","ts":1,"cat":"build phase marker","name":"Initialize command"}]"#)
        #expect(!bare.hasTopLevelObject && bare.phases.map(\.name) == ["Initialize command"] && !bare.partial)
        let late = try TraceProfileTestSupport.summary(
            #"{"traceEvents":[],"otherData":{"bazel_version":"release 7.1.0","profile_start_ts":1700000000000,"nested":{"a":1}}}"#
        )
        #expect(late.bazelVersion == "release 7.1.0" && late.profileStartTimestamp == 1_700_000_000_000)
        #expect(late.counts.events == 0 && !late.partial)
    }

    @Test func malformedAndUnknownEventsAreCounted() throws {
        let text = #"[1,"x",{"ph":5,"ts":1},{"ph":"Q","ts":1},{"ts":2},{"ph":"X","ts":"3","dur":1},{}]"#
        let summary = try TraceProfileTestSupport.summary(text)
        #expect(summary.counts.events == 7)
        #expect(summary.counts.malformed == 3)
        // "Q", the event without ph and the empty object.
        #expect(summary.counts.unknownPhase == 3)
        #expect(summary.counts.byPhase == ["Q": 1, "X": 1])
        #expect(summary.lastTimestampMicros == 4)
    }

    @Test func truncatedPlainProfileKeepsEarlierEvents() throws {
        let whole = """
            {"otherData":{"build_id":"b"},"traceEvents":[
            {"cat":"build phase marker","name":"Initialize command","ph":"i","ts":0},
            {"cat":"gc notification","name":"minor GC","ph":"X","ts":10,"dur":3},
            {"cat":"gc notification","name":"major GC","ph":"X","ts":20,"dur":7},
            {"cat":"gc notification","name":"minor GC","ph":"X","ts":30,"dur":5}
            ]}
            """
        let cut = String(whole.prefix(upTo: whole.range(of: #""ts":30"#)!.upperBound))
        let summary = try TraceProfileTestSupport.summary(cut)
        #expect(summary.partial)
        #expect(summary.syntaxError == nil)
        #expect(summary.buildID == "b")
        #expect(summary.gcPauses.minor.count == 1 && summary.gcPauses.major.count == 1 && summary.gcPauses.major.maxMicros == 7)
        #expect(summary.warnings.contains { $0.contains("ends inside") })
        let complete = try TraceProfileTestSupport.summary(whole)
        #expect(!complete.partial && complete.gcPauses.minor.count == 2 && complete.gcPauses.minor.totalMicros == 8)
    }

    @Test func truncatedGzipProfileIsPartial() throws {
        var text = #"{"traceEvents":["# + "\n"
        for index in 0..<2000 {
            text += #"{"cat":"gc notification","name":"minor GC","ph":"X","ts":\#(index * 1000),"dur":100,"pid":1,"tid":2},"# + "\n"
        }
        text += #"{"ph":"i","ts":1}]}"#
        let compressed = try TestSupport.gzip(Data(text.utf8))
        let cut = compressed.prefix(compressed.count * 2 / 3)
        let summary = try TraceProfileTestSupport.summary(data: Data(cut), name: "cut.json.gz")
        #expect(summary.partial)
        #expect(summary.gcPauses.minor.count > 100 && summary.gcPauses.minor.count < 2000)
        #expect(summary.gcPauses.minor.totalMicros == Double(summary.gcPauses.minor.count) * 100)
        let whole = try TraceProfileTestSupport.summary(data: compressed, name: "whole.json.gz")
        #expect(!whole.partial && whole.gcPauses.minor.count == 2000 && whole.counts.events == 2001)
    }

    @Test func garbageIsReportedWithOffsetAndLine() throws {
        #expect {
            try TraceProfileTestSupport.summary("\n\n  garbage")
        } throws: { error in
            guard case .notATraceProfile(_, let problem) = error as? TraceProfileReader.ReadError else { return false }
            return problem.byteOffset == 4 && problem.line == 3
        }
        // Bad JSON inside the event array: the events before it are kept, the place is named.
        let text = "{\"traceEvents\":[\n{\"ph\":\"i\",\"ts\":1},\n{\"ph\":\"i\" \"ts\":2}]}"
        let summary = try TraceProfileTestSupport.summary(text)
        #expect(summary.partial)
        #expect(summary.counts.events == 1)
        let problem = try #require(summary.syntaxError)
        #expect(problem.line == 3)
        #expect(problem.byteOffset == text.utf8.count - #""ts":2}]}"#.utf8.count)
        #expect(problem.reason.contains("expected ',' or '}'"))
    }

    @Test func controlCharactersAndBadEscapesAreErrors() throws {
        for text in ["[{\"name\":\"a\nb\"}]", #"[{"name":"a\qb"}]"#, #"[{"name":"\u12G4"}]"#, "[{\"ts\":1}}"] {
            let summary = try TraceProfileTestSupport.summary(text)
            #expect(summary.syntaxError != nil, "\(text)")
            #expect(summary.partial)
        }
    }

    @Test func emptyInputIsAnError() throws {
        for text in ["", "  \n\t "] {
            #expect {
                try TraceProfileTestSupport.summary(text)
            } throws: { error in
                if case .empty = error as? TraceProfileReader.ReadError { return true }
                return false
            }
        }
        #expect {
            try TraceProfileReader.read(path: "/nonexistent/profile.json.gz")
        } throws: { error in
            if case .input = error as? TraceProfileReader.ReadError { return true }
            return false
        }
    }

    @Test func phasesGCAndCounterPeaksByPhase() throws {
        // Counters come after all markers, as Bazel writes them; one GC arrives before the
        // marker that closes its phase.
        let text = """
            {"traceEvents":[
            {"cat":"build phase marker","name":"Launch Blaze","ph":"X","ts":-50,"dur":50},
            {"cat":"build phase marker","name":"Initialize command","ph":"i","ts":0},
            {"cat":"build phase marker","name":"Load and analyze dependencies","ph":"i","ts":100},
            {"cat":"gc notification","name":"minor GC","ph":"X","ts":150,"dur":10},
            {"cat":"gc notification","name":"major GC","ph":"X","ts":190,"dur":40},
            {"cat":"build phase marker","name":"Prepare for build","ph":"i","ts":200},
            {"cat":"build phase marker","name":"Build artifacts","ph":"i","ts":210},
            {"cat":"gc notification","name":"minor GC","ph":"X","ts":300,"dur":20},
            {"cat":"build phase marker","name":"Complete build","ph":"i","ts":500},
            {"name":"Memory usage (Bazel)","ph":"C","ts":120,"args":{"memory":"300"}},
            {"name":"Memory usage (Bazel)","ph":"C","ts":250,"args":{"memory":"200"}},
            {"name":"Memory usage (Bazel)","ph":"C","ts":520,"args":{"memory":"400"}},
            {"cat":"general information","name":"Finishing","ph":"i","ts":600}
            ]}
            """
        let summary = try TraceProfileTestSupport.summary(text)
        #expect(summary.phases.map(\.name) == [
            "Launch Blaze", "Initialize command", "Load and analyze dependencies", "Prepare for build", "Build artifacts", "Complete build",
        ])
        #expect(summary.phases.map(\.durationMicros) == [50, 100, 100, 10, 290, 100])
        #expect(summary.analysisPhase == .init(startMicros: 100, endMicros: 200, durationMicros: 100))
        #expect(summary.executionPhase == .init(startMicros: 210, endMicros: 500, durationMicros: 290))
        #expect(summary.gcPauses.minor.count == 2 && summary.gcPauses.minor.totalMicros == 30 && summary.gcPauses.minor.maxMicros == 20)
        #expect(summary.gcPauses.minor.analysisCount == 1 && summary.gcPauses.minor.analysisMicros == 10)
        #expect(summary.gcPauses.minor.executionCount == 1 && summary.gcPauses.minor.executionMicros == 20)
        #expect(summary.gcPauses.major.analysisCount == 1 && summary.gcPauses.major.executionCount == 0)
        let memory = try #require(summary.counters.bazelMemoryMB)
        #expect(memory.peak == 400 && memory.analysisPeak == 300 && memory.executionPeak == 200 && memory.last == 400)
        #expect(summary.phases[2].gcPauseCount == 2 && summary.phases[2].bazelMemoryPeakMB == 300)
        #expect(summary.lastTimestampMicros == 600 && summary.firstTimestampMicros == -50)
    }

    @Test func encodesExplicitNulls() throws {
        let summary = try TraceProfileTestSupport.summary(#"[{"ph":"i","ts":1}]"#)
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        for key in ["\"bazelVersion\":null", "\"analysisPhase\":null", "\"syntaxError\":null", "\"bazelMemoryMB\":null"] {
            #expect(json.contains(key), "\(key)")
        }
        let decoded = try JSONDecoder().decode(TraceProfileSummary.self, from: Data(json.utf8))
        #expect(decoded == summary)
    }

    @Test func memorySeriesIsThinned() throws {
        var text = #"{"traceEvents":["#
        for index in 0..<5000 {
            text += #"{"name":"Memory usage (Bazel)","ph":"C","ts":\#(index * 200_000),"args":{"memory":"\#(index % 700)"}},"#
        }
        text += #"{"ph":"i","ts":0}]}"#
        let summary = try TraceProfileTestSupport.summary(text, step: 4096)
        #expect(summary.bazelMemorySeries.count <= 512)
        #expect(summary.counters.bazelMemoryMB?.samples == 5000 && summary.counters.bazelMemoryMB?.peak == 699)
    }
}
