import HeadroomIngest

/// Reads GC logs from paths and analyses them in one streaming pass.
public enum GCLogAnalysis {
    /// Analyses every file the paths name (files, directories, `-`), oldest first.
    ///
    /// An input that cannot be opened throws; an input that breaks off (truncated gzip) is read
    /// as far as it goes and the summary is marked partial.
    /// `progress`, when given, hears about each input as it starts and every 256 MiB read.
    public static func run(paths: [String], progress: ((String) -> Void)? = nil) throws -> GCLogSummary {
        let sources = InputFiles.timeOrdered(try InputFiles.expand(paths))
        let analyzer = GCLogAnalyzer()
        var parser = GCLogParser(sink: analyzer)
        var inputs: [GCLogSummary.Input] = []
        for source in sources {
            let opened = try InputOpener.open(source)
            guard opened.encoding != .zip else {
                throw InputError(path: source.displayName, reason: "is a zip archive read from a stream; pass it as a file")
            }
            let displayName = source.displayName
            var chunks: ChunkReader = opened.reader
            if let progress {
                progress("reading \(displayName)")
                chunks = ProgressChunkReader(source: opened.reader) { bytes in
                    progress("\(displayName): \(Formatting.bytes(bytes)) read")
                }
            }
            let reader = LineReader(source: chunks)
            let linesBefore = parser.coverage.linesRead
            do {
                try parser.parse(reader, file: displayName)
            } catch let error as InputError {
                throw InputError(path: error.path, reason: error.reason, line: reader.linesRead)
            }
            inputs.append(
                GCLogSummary.Input(
                    path: displayName, encoding: opened.encoding.rawValue, bytesRead: reader.bytesRead,
                    linesRead: parser.coverage.linesRead - linesBefore, isPartial: opened.reader.isPartial,
                    warnings: opened.reader.warnings))
        }
        parser.finish()
        var summary = analyzer.finish(coverage: parser.coverage, inputs: inputs)
        if !parser.gaps.isEmpty {
            summary.warnings.insert(contentsOf: parser.gaps, at: 0)
            summary.isPartial = true
        }
        if parser.resumedRuns.count >= GCLogParser.interleavingSignsNeeded, let first = parser.resumedRuns.first {
            summary.warnings.insert(
                "\(first) and \(parser.resumedRuns.count - 1) more places: the clock or GC ids jump back into a run already under way, "
                    + "not to a JVM's start: two or more JVMs wrote into this log at once and the figures mix them "
                    + "(give each JVM its own file: -Xlog:gc*:file=gc-%p.log)", at: 0)
            summary.isPartial = true
        }
        return summary
    }
}
