import HeadroomIngest

/// The highest share of wall time spent in pauses over any window of a fixed length.
package struct SlidingWindowFraction {
    let windowSeconds: Double
    private var pauses: [(end: Double, durationSeconds: Double)] = []
    private var head = 0
    private var total = 0.0
    private(set) var best: GCLogSummary.WindowedGCFraction?

    init(windowSeconds: Double) {
        self.windowSeconds = windowSeconds
    }

    /// Adds a pause ending at `end`; `coveredSince` is when the run's log started, so a window
    /// is only judged once the log covers it whole.
    mutating func add(end: Double, durationSeconds: Double, coveredSince start: Double) {
        pauses.append((end, durationSeconds))
        total += durationSeconds
        while head < pauses.count, pauses[head].end <= end - windowSeconds {
            total -= pauses[head].durationSeconds
            head += 1
        }
        if head > 1024 {
            pauses.removeFirst(head)
            head = 0
        }
        guard end - start >= windowSeconds else { return }
        let fraction = min(1, total / windowSeconds)
        if fraction > (best?.fraction ?? -1) {
            best = GCLogSummary.WindowedGCFraction(windowSeconds: windowSeconds, fraction: fraction, endsAtSeconds: end)
        }
    }

    /// A new JVM run: windows do not reach across it.
    mutating func reset() {
        pauses.removeAll(keepingCapacity: true)
        head = 0
        total = 0
    }
}
