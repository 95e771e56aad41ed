import HeadroomPlan

/// `--emit systemd`: the `systemd-run --scope` line (after `bazel shutdown`, since a scope only
/// holds processes started inside it) and a slice unit with the same limits. Shell lines and
/// comments are written through `ShellQuoting`; the unit holds only fixed text and the limits.
public enum SystemdRenderer {
    public static let sliceName = "bazel.slice"

    public static func render(_ report: AnalysisReport, command: [String] = ["bazel", "build", "//..."]) -> String {
        var out: [String] = []
        out.append(ShellQuoting.comment("Memory limits for the Bazel server and its tests, by Headroom \(report.toolVersion)."))
        guard let cgroup = report.plan.cgroup else {
            out.append("# The evidence does not size a cgroup (no heap or server memory known).")
            for item in report.plan.collect { out.append(ShellQuoting.comment("Collect: \(item)")) }
            return out.joined(separator: "\n") + "\n"
        }
        out.append(ShellQuoting.comment("\(cgroup.rules.joined(separator: ", ")): \(cgroup.limits.basis)"))
        out.append("# On cgroup v1, systemd applies MemoryMax as MemoryLimit; MemoryHigh and MemorySwapMax need v2.")
        out.append("")
        out.append("# 1. Stop the running server: a server started outside the scope escapes its limit.")
        out.append(ShellQuoting.line(["bazel", "shutdown"]))
        out.append("# 2. Run Bazel in a scope; the server it starts, and the tests, stay inside.")
        let properties = cgroup.limits.systemdProperties.flatMap { ["-p", $0] }
        out.append(ShellQuoting.line(["systemd-run", "--scope"] + properties + ["--"] + command))
        out.append("")
        out.append("# Or a slice for every Bazel run: save as /etc/systemd/system/\(sliceName)")
        out.append("# (~/.config/systemd/user/\(sliceName) with --user), then: systemd-run --scope --slice=\(sliceName) -- bazel ...")
        out.append("[Unit]")
        out.append("Description=Bazel server and its tests (limits from Headroom)")
        out.append("")
        out.append("[Slice]")
        out += cgroup.limits.systemdProperties
        return out.joined(separator: "\n") + "\n"
    }
}
