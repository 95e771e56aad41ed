import HeadroomCore

/// Reads OOM reports from kernel log files (plain or gzip, `-` for standard input) or captured bytes.
public enum OOMReportReading {
    /// Reads every input in order; an input that cannot be opened or read throws.
    public static func read(
        paths: [String], context: OOMClassificationContext = OOMClassificationContext(), options: OOMReadOptions = OOMReadOptions()
    ) throws(InputError) -> OOMReport {
        var parser = OOMReportParser(context: context, options: options)
        var warnings: [String] = []
        var unusable: [String] = []
        var partial = false
        for path in paths {
            let before = (lines: parser.linesRead, kernel: parser.kernelPrefixedLines, report: parser.reportLines)
            let opened = try InputOpener.open(path)
            guard opened.encoding != .zip else {
                throw InputError(path: path, reason: "is a zip archive; unpack the kernel log first")
            }
            let name = InputSource.file(path).displayName
            try parse(LineReader(source: opened.reader), name: name, into: &parser)
            warnings += opened.reader.warnings.map { "\(name): \($0)" }
            partial = partial || opened.reader.isPartial
            if parser.linesRead == before.lines {
                unusable.append("\(name): is empty, so it cannot show whether anything was OOM-killed")
            } else if parser.kernelPrefixedLines == before.kernel && parser.reportLines == before.report {
                unusable.append("\(name):1: not a kernel log: none of its first \(OOMReportParser.sniffedLineLimit) lines has a dmesg, journalctl -k, syslog or /dev/kmsg prefix")
            }
        }
        var report = parser.finish()
        report.warnings = warnings
        report.unusableInputs = unusable
        report.isPartial = partial
        return report
    }

    /// Reads log text already in memory, such as the output of `dmesg`.
    public static func read(
        bytes: [UInt8], name: String, context: OOMClassificationContext = OOMClassificationContext(), options: OOMReadOptions = OOMReadOptions()
    ) -> OOMReport {
        var parser = OOMReportParser(context: context, options: options)
        // An in-memory source cannot fail to read.
        try? parse(LineReader(source: ReplayingChunkReader(source: EndOfInput(), replaying: bytes)), name: name, into: &parser)
        return parser.finish()
    }

    private static func parse(_ reader: LineReader, name: String, into parser: inout OOMReportParser) throws(InputError) {
        do {
            try parser.parse(reader, file: name)
        } catch let error as InputError {
            throw InputError(path: error.path, reason: error.reason, line: reader.linesRead)
        } catch {
            throw InputError(path: name, reason: "\(error)", line: reader.linesRead)
        }
    }

    /// A source with nothing in it, behind the bytes a `ReplayingChunkReader` hands out.
    private final class EndOfInput: ChunkReader {
        var warnings: [String] { [] }
        var isPartial: Bool { false }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int { 0 }
    }
}
