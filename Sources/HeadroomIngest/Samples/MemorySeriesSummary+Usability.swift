import HeadroomCore

extension MemorySeriesSummary {
    /// Why the series gave no sample at all (empty, or every line unreadable, with the first
    /// such line's file, line and reason); nil when it gave samples.
    public var withoutSamples: InputError? {
        guard samples == 0 else { return nil }
        if linesRead == 0 { return InputError(path: source, reason: "is empty: no samples") }
        let first = badLines.first.map { "; the first: \($0)" } ?? ""
        return InputError(path: source, reason: "no readable sample in \(linesRead) lines (\(badLineCount) unreadable\(first))")
    }
}
