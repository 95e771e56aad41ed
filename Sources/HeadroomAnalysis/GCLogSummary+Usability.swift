import HeadroomIngest

extension GCLogSummary {
    /// Whether enough lines were understood to call the input a GC log: at least half of the
    /// non-blank ones, and at least one.
    public var looksLikeAGCLog: Bool {
        coverage.linesRead > coverage.blank && coverage.recognizedFraction >= 0.5
    }

    /// Why the input offers no GC figures (empty, not a GC log, or a log without collections),
    /// naming the file and the first line not understood; nil when it holds collections.
    public var withoutCollections: String? {
        guard pauseCount == 0, concurrentCycles == 0, coverage.events == 0 else { return nil }
        let source = inputs.map(\.path).joined(separator: ", ")
        let nonBlank = coverage.linesRead - coverage.blank
        if nonBlank == 0 { return "\(source): is empty: no GC log lines" }
        guard looksLikeAGCLog else {
            let first = coverage.unrecognized.first.map { "; the first not understood is \($0.location)" } ?? ""
            return "\(source): not a GC log: \(coverage.linesRecognized) of \(nonBlank) lines recognised\(first)"
        }
        return "\(source): a GC log without any collection (\(nonBlank) lines); the JVM may have stopped at once, or logging lacks -Xlog:gc"
    }
}
