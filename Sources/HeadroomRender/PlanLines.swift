import HeadroomPlan

/// The plan as plain sentences, one per setting, limit, command and dropped option: shared by
/// the terminal and Markdown reports.
public enum PlanLines {
    public static func describe(_ plan: Plan) -> [String] {
        var lines: [String] = []
        if let heap = plan.heap {
            let current = heap.currentBytes.map { "-Xmx\(ByteSize.jvmArgument($0))" } ?? "the JVM default"
            switch heap.action {
            case .hold:
                lines.append("heap: keep \(current); do not raise it (\(heap.rules.joined(separator: ", "))): \(heap.basis)")
            case .pin:
                lines.append("heap: set -Xmx\(heap.targetBytes.map(ByteSize.jvmArgument) ?? "?") explicitly, so a memory limit cannot shrink it (\(heap.rules.joined(separator: ", "))): \(heap.basis)")
            case .raise, .lower:
                lines.append("heap: \(heap.action.rawValue) \(current) → -Xmx\(heap.targetBytes.map(ByteSize.jvmArgument) ?? "?") (\(heap.rules.joined(separator: ", "))): \(heap.basis)")
            }
        }
        for item in plan.allSettings where item.setting.flag != "host_jvm_args" || plan.heap?.setting != item.setting {
            let unverified = plan.settings.first { $0.setting == item.setting }.map { $0.verified ? "" : " [unverified: release unknown]" } ?? ""
            lines.append("\(item.setting.rcLine) (\(item.rules.joined(separator: ", ")))\(unverified)")
        }
        if let cgroup = plan.cgroup {
            lines.append("cgroup: \(cgroup.limits.description) (\(cgroup.rules.joined(separator: ", "))): \(cgroup.limits.basis)")
        }
        for command in plan.commands { lines.append("run: \(command)") }
        for dropped in plan.dropped { lines.append("left out: \(dropped.argument) (\(dropped.rule)): \(dropped.reason)") }
        for note in plan.notes { lines.append("resolved: \(note)") }
        if lines.isEmpty { lines.append("no change") }
        return lines
    }
}
