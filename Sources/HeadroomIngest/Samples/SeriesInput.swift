import HeadroomCore

/// An opened series file: its decoded bytes (plain or gzip), with the name reports use.
package struct SeriesInput {
    let reader: ChunkReader
    let name: String
    let encoding: InputEncoding

    /// Opens `path` (or `-` for standard input); zip archives are refused by name.
    static func open(_ path: String) throws(InputError) -> SeriesInput {
        let opened = try InputOpener.open(path)
        let name = InputSource.file(path).displayName
        if opened.encoding == .zip {
            throw InputError(path: name, reason: "is a zip archive; give the series file itself (plain or gzip)")
        }
        return SeriesInput(reader: opened.reader, name: name, encoding: opened.encoding)
    }

    func summary(_ format: MemorySeriesFormat) -> MemorySeriesSummary {
        MemorySeriesSummary(source: name, format: format, encoding: encoding)
    }

    /// Calls `body` with each line as text; an overlong line is reported and skipped.
    func forEachLine(_ summary: inout MemorySeriesSummary, _ body: (inout MemorySeriesSummary, Substring, Int) throws -> Void) throws {
        let lines = LineReader(source: reader)
        try lines.forEachLine { line in
            summary.linesRead = line.number
            if line.isTruncated {
                summary.reject(line: line.number, "longer than \(line.bytes.count) bytes; skipped")
                return
            }
            let text = String(decoding: line.bytes, as: UTF8.self)
            try body(&summary, Substring(text), line.number)
        }
        for warning in reader.warnings { summary.warn(warning) }
        if reader.isPartial { summary.isPartial = true }
    }
}
