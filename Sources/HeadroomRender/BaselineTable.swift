import HeadroomPlan

/// The baseline as a table a person reads: one row per run.
public enum BaselineTable {
    public static func render(_ report: BaselineReport) -> String {
        var lines = ["Analysis baseline of \(report.targets.joined(separator: " "))", ""]
        lines.append("step  -Xmx        result          wall      GC time   live       committed  server RSS")
        for step in report.steps {
            let heap = step.maxHeapBytes.map { Formatting.bytes($0) } ?? "configured"
            let columns = [
                String(step.index + 1).padding(toLength: 6, withPad: " ", startingAt: 0),
                heap.padding(toLength: 11, withPad: " ", startingAt: 0),
                step.result.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0),
                Formatting.duration(seconds: step.wallSeconds).padding(toLength: 10, withPad: " ", startingAt: 0),
                Formatting.percent(step.gcTimeFraction).padding(toLength: 10, withPad: " ", startingAt: 0),
                Formatting.bytes(step.liveBytes).padding(toLength: 11, withPad: " ", startingAt: 0),
                Formatting.bytes(step.committedBytes).padding(toLength: 11, withPad: " ", startingAt: 0),
                Formatting.bytes(step.serverPeakRSSBytes),
            ]
            lines.append(columns.joined())
        }
        if let floor = report.floorBytes {
            lines.append("")
            lines.append("Smallest -Xmx that completed analysis without thrashing: \(Formatting.bytes(floor))")
        }
        for note in report.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
