import Foundation
import HeadroomPlan

/// Renders OOM kills for the terminal: one block per kill, sizes in MiB.
public enum OOMTextRenderer {
    /// Tasks shown per kill; the JSON keeps more.
    static let taskRows = 10

    public static func render(_ report: OOMReport) -> String {
        var out = ""
        let inputs = report.inputs.isEmpty ? "" : " in " + report.inputs.joined(separator: ", ")
        if report.kills.isEmpty {
            out += "no OOM kills found\(inputs) (\(report.linesRead) lines read)\n"
        } else {
            let total = report.kills.count + report.omittedKillCount
            out += "\(total) OOM kill\(total == 1 ? "" : "s") found\(inputs) (\(report.linesRead) lines read)\n"
            if report.omittedKillCount > 0 {
                out += "showing the latest \(report.kills.count); \(report.omittedKillCount) older ones left out\n"
            }
            for (index, kill) in report.kills.enumerated() {
                out += "\n" + render(kill, number: index + 1 + report.omittedKillCount, of: total)
            }
        }
        for warning in report.warnings { out += "warning: \(warning)\n" }
        if report.isPartial { out += "warning: an input broke off; kills after that point are missing\n" }
        return out
    }

    static func render(_ kill: OOMKill, number: Int, of total: Int) -> String {
        var lines: [(String, String)] = []
        lines.append(("time", time(kill.time)))
        if let victim = kill.victim {
            var who = "\(victim.name) (pid \(victim.pid)"
            if let uid = victim.uid { who += ", uid \(uid)" }
            lines.append(("victim", who + ")"))
            var rss = "\(mib(victim.anonRssBytes)) anon + \(mib(victim.fileRssBytes)) file + \(mib(victim.shmemRssBytes)) shmem"
            if let sum = victim.rssBytes { rss += " = \(mib(sum))" }
            if let vm = victim.totalVmBytes { rss += " (total-vm \(mib(vm)))" }
            lines.append(("RSS (MiB)", rss))
        } else {
            lines.append(("victim", "unknown: the report has no kill line"))
        }
        lines.append(("constraint", constraint(kill)))
        if let memcg = kill.memcg {
            var text = memcg
            if let task = kill.taskMemcg, task != memcg { text += " (victim in \(task))" }
            lines.append(("memcg", text))
        } else if let task = kill.taskMemcg {
            lines.append(("victim's cgroup", task))
        }
        if kill.limitBytes != nil || kill.usageBytes != nil {
            var text = "\(kill.limitBytes.map(mib) ?? "none") / \(mib(kill.usageBytes)) MiB"
            if let fails = kill.failCount { text += ", failcnt \(fails)" }
            lines.append(("limit / usage", text))
        }
        lines.append(("classification", "\(kill.classification.rawValue): \(kill.classificationReason)"))
        if let trigger = kill.trigger {
            var text = trigger.name
            if let pid = trigger.pid { text += " (pid \(pid))" }
            if let mask = trigger.gfpMask { text += ", gfp_mask=\(mask)" }
            if let order = trigger.order { text += ", order=\(order)" }
            lines.append(("triggered by", text))
        }
        if let reaped = kill.reaped {
            lines.append(("reaped", "now \(mib(reaped.anonRssBytes)) anon, \(mib(reaped.fileRssBytes)) file, \(mib(reaped.shmemRssBytes)) shmem MiB"))
        }
        if let group = kill.oomGroup {
            lines.append(("memory.oom.group", "\(group): \(kill.groupKilled.count) more killed"))
        }
        if !kill.isComplete { lines.append(("incomplete", kill.notes.joined(separator: "; "))) }
        else if !kill.notes.isEmpty { lines.append(("notes", kill.notes.joined(separator: "; "))) }

        var out = "OOM kill \(number) of \(total) at \(kill.location)\n"
        for (label, value) in lines {
            out += "  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + value + "\n"
        }
        if kill.taskCount > 0 {
            let shown = kill.tasks.prefix(taskRows)
            out += "  top tasks       \(shown.count) of \(kill.taskCount) by RSS (MiB)\n"
            out += "    " + row(["pid", "uid", "rss", "anon", "file", "shmem"]) + "  name\n"
            for task in shown {
                let cells = [
                    "\(task.pid)", task.uid.map(String.init) ?? "-", mib(task.rssBytes),
                    task.anonRssBytes.map(mib) ?? "-", task.fileRssBytes.map(mib) ?? "-", task.shmemRssBytes.map(mib) ?? "-",
                ]
                out += "    " + row(cells) + "  " + task.name + "\n"
            }
        }
        return out
    }

    private static func row(_ cells: [String]) -> String {
        cells.map { String(repeating: " ", count: max(0, 9 - $0.count)) + $0 }.joined()
    }

    private static func time(_ time: OOMKill.Time) -> String {
        var parts: [String] = []
        if let utc = time.utc { parts.append(utc) }
        if let uptime = time.uptimeSeconds { parts.append(String(format: "%.6f s after boot", uptime)) }
        if parts.isEmpty { return time.printed ?? "unknown" }
        if let printed = time.printed, time.utc != nil { parts.append("printed \(printed)") }
        return parts.joined(separator: ", ")
    }

    private static func constraint(_ kill: OOMKill) -> String {
        let raw = kill.constraintRaw.map { " (\($0))" } ?? ""
        switch kill.constraint {
        case .memcg: return "memcg\(raw): the cgroup hit its own limit; the limit or the concurrency under it is wrong"
        case .global: return "global\(raw): the machine ran out of memory; the victim was the largest, not necessarily at fault"
        case .other: return "other\(raw): the allowed NUMA nodes ran out"
        case .unknown: return "unknown: the report broke off before saying"
        }
    }

    /// Bytes as MiB with one decimal.
    static func mib(_ bytes: Int64?) -> String {
        guard let bytes else { return "?" }
        return String(format: "%.1f", Double(bytes) / 1_048_576)
    }
}
