import HeadroomPlan

/// `headroom verify` as text for a terminal, or as Markdown for a pull request or a CI summary.
///
/// The command's words, its output and the notes (which quote a bundle's options) come from
/// outside: each stays on its line (`VisibleText.oneLine`), words are shell-quoted, and in
/// Markdown text is escaped and output fenced so that it cannot close its block.
public enum VerifyRenderer {
    public static func text(_ report: VerifyReport) -> String {
        var lines = ["Headroom \(report.toolVersion): verify \(VisibleText.oneLine(report.originalBundle))", ""]
        lines.append("Verdict: \(report.verdict.rawValue.uppercased())")
        lines += report.reasons.map { "  - \(VisibleText.oneLine($0))" }
        lines.append("")
        lines.append("Plan (\(VisibleText.oneLine(report.plan.source)))")
        lines.append("  cgroup: \(report.plan.limits.description)")
        lines += report.plan.rcLines.map { "  \(VisibleText.oneLine($0))" }
        lines.append("")
        lines.append("Original: \(figures(report.original))")
        if report.attempts.count > 1 {
            lines.append("")
            lines.append("Runs")
            lines += runTable(report.attempts).map { "  " + $0 }
        }
        for (index, attempt) in report.attempts.enumerated() {
            lines.append("")
            lines.append(heading(attempt, index: index))
            lines.append("  cgroup \(attempt.cgroupPath) (v\(attempt.cgroupVersion), \(attempt.manager.rawValue)): \(attempt.applied.joined(separator: ", "))")
            lines += attempt.notApplied.map { "  not applied: \($0)" }
            lines.append("  command: \(VisibleText.oneLine(ShellQuoting.line(attempt.command)))")
            lines.append("  figures: \(figures(attempt.figures))")
            lines.append("  kernel: \(kernel(attempt.kernel))")
            if index > 0 { lines += attempt.reasons.map { "  - \(VisibleText.oneLine($0))" } }
            if !attempt.outputTail.isEmpty {
                lines.append("  last lines of the output:")
                lines += attempt.outputTail.map { "    | \(VisibleText.oneLine($0))" }
            }
            lines.append("  bundle: \(VisibleText.oneLine(attempt.bundle))")
        }
        if let corrected = report.corrected {
            lines.append("")
            var line = "Corrected: \(corrected.description)"
            if let heap = report.correctedMaxHeapBytes { line += ", startup --host_jvm_args=-Xmx\(ByteSize.jvmArgument(heap))" }
            line += " — \(report.correctedVerdict.map { "verified: \($0.rawValue)" } ?? "not verified")"
            lines.append(line)
        }
        let outcome = searchLines(report)
        if !outcome.isEmpty {
            lines.append("")
            lines += outcome.map(VisibleText.oneLine)
        }
        if !report.notes.isEmpty {
            lines.append("")
            lines.append("Notes")
            lines += report.notes.map { "  - \(VisibleText.oneLine($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ report: VerifyReport) -> String {
        var lines = ["## Headroom verify: \(report.verdict.rawValue)", ""]
        lines += report.reasons.map { "- \(MarkdownText.escape($0))" }
        lines += ["", "Plan (\(MarkdownText.escape(report.plan.source))): \(MarkdownText.code(report.plan.limits.description))", ""]
        if !report.plan.rcLines.isEmpty {
            lines += MarkdownText.codeBlock(report.plan.rcLines) + [""]
        }
        lines += [
            "| run | verdict | MemoryMax | exit | wall | GC time | cgroup peak | kernel kills |",
            "|---|---|---|---|---|---|---|---|",
        ]
        func row(_ name: String, _ verdict: String, _ f: VerifyReport.Figures, kills: Int?) -> String {
            "| \(name) | \(verdict) | \(f.cgroupLimitBytes.map { Formatting.bytes($0) } ?? "none") | \(f.exitStatus.map(String.init) ?? "signal \(f.signal ?? 0)") | \(Formatting.duration(seconds: f.wallSeconds)) | \(Formatting.percent(f.gcTimeFraction)) | \(Formatting.bytes(f.cgroupPeakBytes)) | \(kills.map(String.init) ?? "–") |"
        }
        lines.append(row("original", "–", report.original, kills: nil))
        for (index, attempt) in report.attempts.enumerated() {
            lines.append(row("\(index + 1): \(step(attempt, index: index).rawValue)", attempt.verdict.rawValue, attempt.figures, kills: attempt.kernel.oomKills))
        }
        if let corrected = report.corrected {
            lines += ["", "Corrected: `\(corrected.description)`\(report.correctedMaxHeapBytes.map { ", `startup --host_jvm_args=-Xmx\(ByteSize.jvmArgument($0))`" } ?? "")"]
        }
        let outcome = searchLines(report)
        if !outcome.isEmpty { lines += [""] + outcome.map { "- \(MarkdownText.escape($0))" } }
        for attempt in report.attempts where !attempt.outputTail.isEmpty {
            lines += ["", "<details><summary>output of the \(MarkdownText.escape(attempt.bundle)) run</summary>", ""] + MarkdownText.codeBlock(attempt.outputTail) + ["</details>"]
        }
        if !report.notes.isEmpty { lines += [""] + report.notes.map { "- note: \(MarkdownText.escape($0))" } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How a run's limit was chosen; reports from before verify converged do not say, and had the
    /// plan's run first and at most one correction.
    static func step(_ attempt: VerifyReport.Attempt, index: Int) -> VerifySearch.Step {
        attempt.step ?? (index == 0 ? .plan : .corrected)
    }

    static func heading(_ attempt: VerifyReport.Attempt, index: Int) -> String {
        switch step(attempt, index: index) {
        case .plan: "Run with the plan: \(attempt.verdict.rawValue)"
        case .corrected: "Run \(index + 1) with corrected limits: \(attempt.verdict.rawValue)"
        case .search: "Run \(index + 1), searching: \(attempt.verdict.rawValue)"
        }
    }

    /// One row per run: its limit, what it reached, and the verdict.
    static func runTable(_ attempts: [VerifyReport.Attempt]) -> [String] {
        let header = ["run", "step", "MemoryMax", "peak", "OOM kills", "exit", "wall", "GC time", "verdict"]
        let rows = attempts.enumerated().map { index, attempt in
            [
                String(index + 1), step(attempt, index: index).rawValue, Formatting.bytes(attempt.limits.memoryMaxBytes), Formatting.bytes(attempt.kernel.peakBytes),
                attempt.kernel.oomKills.map(String.init) ?? "?", attempt.figures.exitStatus.map(String.init) ?? "signal \(attempt.figures.signal ?? 0)",
                Formatting.duration(seconds: attempt.figures.wallSeconds), Formatting.percent(attempt.figures.gcTimeFraction), attempt.verdict.rawValue,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }
    }

    /// What the runs found beyond the plan's verdict: the search's limits and why it stopped.
    static func searchLines(_ report: VerifyReport) -> [String] {
        var lines: [String] = []
        if let smallest = report.smallestPassingLimit {
            let failing = report.largestFailingLimit.map { "the largest too tight below it: MemoryMax=\(ByteSize.systemdArgument($0))" } ?? "none below it was too tight"
            lines.append("Smallest passing: MemoryMax=\(ByteSize.systemdArgument(smallest)) (\(failing))")
        }
        if let recommended = report.recommendedLimit {
            lines.append("Recommended: MemoryMax=\(ByteSize.systemdArgument(recommended)) (the smallest passing × \(MemoryModel.margin), rounded up to 64 MiB)")
        }
        if let convergence = report.convergence, report.attempts.count > 1 || convergence.mode == .search {
            var line = "Stopped after \(report.attempts.count) of at most \(convergence.maxTries) runs"
            if let ceiling = convergence.ceilingBytes { line += " (ceiling \(ByteSize.systemdArgument(ceiling)))" }
            line += ": \(convergence.stoppedBecause ?? "interrupted")"
            lines.append(line)
        }
        return lines
    }

    static func figures(_ f: VerifyReport.Figures) -> String {
        var parts = ["exit \(f.exitStatus.map(String.init) ?? "signal \(f.signal ?? 0)")\(f.timedOut ? " (timed out)" : "")"]
        parts.append("wall \(Formatting.duration(seconds: f.wallSeconds))")
        parts.append("GC \(Formatting.percent(f.gcTimeFraction))")
        parts.append("cgroup peak \(Formatting.bytes(f.cgroupPeakBytes))\(f.cgroupLimitBytes.map { " of \(Formatting.bytes($0))" } ?? "")")
        if let heap = f.maxHeapBytes { parts.append("heap max \(Formatting.bytes(heap))") }
        return parts.joined(separator: ", ")
    }

    static func kernel(_ k: MemoryCgroupReadback) -> String {
        "oom_kill \(k.oomKills.map(String.init) ?? "unknown"), peak \(Formatting.bytes(k.peakBytes)), failcnt \(k.failCount.map(String.init) ?? "unknown")"
    }
}
