// libFuzzer entry points for Headroom's parsers, compiled into the HeadroomKit module by
// scripts/fuzz.sh (not part of the Swift package). One binary serves every target; the target
// is chosen by HEADROOM_FUZZ_TARGET, read once.
#if canImport(Glibc)
import Glibc
#endif

/// The parser one fuzzing run exercises.
enum FuzzTarget: String, CaseIterable {
    /// Seeded with unified (`-Xlog`) logs; `gcLegacy` runs the same parser from JDK 8 logs.
    case gcLog = "gc-log"
    case gcLegacy = "gc-legacy"
    case gzip
    case kernelFiles = "kernel-files"
    case oomReport = "oom-report"
    case traceProfile = "trace-profile"
    case bazelrc
    case samples

    static let selected: FuzzTarget = {
        let name = getenv("HEADROOM_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set HEADROOM_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .gcLog, .gcLegacy:
            let analyzer = GCLogAnalyzer()
            var parser = GCLogParser(sink: analyzer)
            try? parser.parse(LineReader(source: FuzzBytes.reader(bytes)), file: "fuzz")
            parser.finish()
            _ = analyzer.finish(coverage: parser.coverage, inputs: [])
        case .gzip:
            for framing in [InflatingChunkReader.Framing.gzip, .rawDeflate] {
                guard let reader = try? InflatingChunkReader(source: FuzzBytes.reader(bytes), path: "fuzz", framing: framing) else { continue }
                FuzzBytes.drain(reader)
            }
        case .kernelFiles:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = ProcStatusReader.parse(bytes: bytes, pid: 1)
            _ = ProcStatmReader.parse(bytes: bytes, pageSize: 4096)
            _ = PressureParser.parse(text)
            _ = CgroupMemoryReader.parseEvents(text)
            _ = CgroupMemoryReader.parseV2Stat(text)
            _ = CgroupMemoryReader.parseV1Stat(text)
            _ = KernelText.limitFile(text)
        case .oomReport:
            _ = OOMReportReading.read(bytes: bytes, name: "fuzz")
        case .traceProfile:
            _ = try? TraceProfileReader.read(FuzzBytes.reader(bytes), name: "fuzz", bufferSize: 4096)
        case .bazelrc:
            // Imports are cut: they would read files of the machine the fuzzer runs on, and runs
            // would depend on it (the reader refuses devices and FIFOs; tests cover that).
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "import", with: "imp0rt")
            if let chain = try? BazelrcReader.read(text: text, name: "fuzz", workspace: nil) {
                _ = try? BazelMemorySettings(chain: chain, command: "test", configs: ["ci"])
            }
        case .samples:
            for read in [SampleLogReader.read, PidstatReader.read, TwoColumnSeriesReader.read] as [(SeriesInput, (MemorySample) throws -> Void) throws -> MemorySeriesSummary] {
                _ = try? read(SeriesInput(reader: FuzzBytes.reader(bytes), name: "fuzz", encoding: .plain)) { _ in }
            }
        }
    }
}

/// Bytes as a chunk source, and a way to read one to its end.
enum FuzzBytes {
    static func reader(_ bytes: [UInt8]) -> ChunkReader {
        ReplayingChunkReader(source: Empty(), replaying: bytes)
    }

    static func drain(_ reader: ChunkReader) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while let count = try? reader.read(into: buffer), count > 0 {}
    }

    private final class Empty: ChunkReader {
        var warnings: [String] { [] }
        var isPartial: Bool { false }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int { 0 }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func headroomFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}
