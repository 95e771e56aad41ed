import HeadroomCore

/// Reads a memory series in any format Headroom knows, telling the format from the content.
///
/// A folder is a cgroup snapshot; in a file, a first line starting with `{` is a sample log, a
/// `Linux …` banner or a header naming `PID` and `RSS` is pidstat, and anything else is read
/// as `timestamp rss` lines. Detection reads the first bytes once and replays them, so
/// standard input works too.
public enum MemorySeriesReader {
    /// How many bytes are looked at to tell the format.
    static let sniffLength = 16 * 1024

    /// Reads `path` (a file, gzip or plain, `-`, or a folder) as `format`, or as the format its
    /// content shows, calling `body` for every sample in order.
    public static func read(
        _ path: String, format: MemorySeriesFormat? = nil, _ body: (MemorySample) throws -> Void
    ) throws -> MemorySeriesSummary {
        if path != "-", KernelFile.isDirectory(path) {
            return try CgroupSnapshotReader.read(path, body)
        }
        let opened = try SeriesInput.open(path)
        let head = try sniff(opened.reader)
        let input = SeriesInput(reader: ReplayingChunkReader(source: opened.reader, replaying: head), name: opened.name, encoding: opened.encoding)
        switch format ?? detect(head: head) {
        case .sampleLog: return try SampleLogReader.read(input, body)
        case .pidstat: return try PidstatReader.read(input, body)
        case .twoColumn: return try TwoColumnSeriesReader.read(input, body)
        case .cgroupSnapshot:
            throw InputError(path: opened.name, reason: "is a file; cgroup snapshots are folders of memory.* files")
        }
    }

    /// The format of `path`, from its first bytes (a folder is a cgroup snapshot).
    ///
    /// Reads the head of the file; standard input cannot be looked at twice, so `read` with no
    /// format is the way to take a series from `-`.
    public static func detect(_ path: String) throws(InputError) -> MemorySeriesFormat {
        if path != "-", KernelFile.isDirectory(path) { return .cgroupSnapshot }
        return detect(head: try sniff(SeriesInput.open(path).reader))
    }

    /// The format shown by the first bytes of a file.
    public static func detect(head: [UInt8]) -> MemorySeriesFormat {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(whereSeparator: \.isNewline).map { KernelText.trimmed($0) }.filter { !$0.isEmpty }
        // The last line may be cut by the sniff: it tells nothing for sure.
        if head.count >= sniffLength, lines.count > 1 { lines.removeLast() }
        guard let first = lines.first else { return .twoColumn }
        if first.hasPrefix("{") { return .sampleLog }
        for line in lines.prefix(50) {
            if line.hasPrefix("Linux "), line.contains("(") { return .pidstat }
            let fields = PidstatReader.fields(line.hasPrefix("#") ? line.dropFirst() : line)
            if PidstatReader.Layout(fields) != nil { return .pidstat }
        }
        return .twoColumn
    }

    /// Up to `sniffLength` bytes from the start of `reader`.
    static func sniff(_ reader: ChunkReader) throws(InputError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: sniffLength, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < sniffLength {
            let count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return Array(buffer[0..<filled])
    }
}
