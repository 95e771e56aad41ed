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
        for (index, attempt) in report.attempts.enumerated() {
            lines.append("")
            lines.append(index == 0 ? "Run with the plan: \(attempt.verdict.rawValue)" : "Run with the corrected limits: \(attempt.verdict.rawValue)")
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
            lines.append(row(index == 0 ? "plan" : "corrected", attempt.verdict.rawValue, attempt.figures, kills: attempt.kernel.oomKills))
        }
        if let corrected = report.corrected {
            lines += ["", "Corrected: `\(corrected.description)`\(report.correctedMaxHeapBytes.map { ", `startup --host_jvm_args=-Xmx\(ByteSize.jvmArgument($0))`" } ?? "")"]
        }
        for attempt in report.attempts where !attempt.outputTail.isEmpty {
            lines += ["", "<details><summary>output of the \(MarkdownText.escape(attempt.bundle)) run</summary>", ""] + MarkdownText.codeBlock(attempt.outputTail) + ["</details>"]
        }
        if !report.notes.isEmpty { lines += [""] + report.notes.map { "- note: \(MarkdownText.escape($0))" } }
        return lines.joined(separator: "\n") + "\n"
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
