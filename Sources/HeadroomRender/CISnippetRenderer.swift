import HeadroomPlan

/// `--emit ci`: a shell snippet for a CI bootstrap step that writes the `.bazelrc` fragment and
/// runs Bazel under the planned memory limits.
///
/// Every line is written through `ShellQuoting`: words single-quoted, comments one line, the
/// fragment in a quoted here-document it cannot end, so the snippet runs exactly the planned
/// commands whatever the inputs held.
public enum CISnippetRenderer {
    public static func render(_ report: AnalysisReport, command: [String] = ["bazel", "build", "//..."]) -> String {
        let fragment = BazelrcFragmentRenderer.render(report)
        let name = BazelrcFragmentRenderer.suggestedName
        var out: [String] = []
        out.append("#!/bin/sh")
        out.append(ShellQuoting.comment("CI bootstrap by Headroom \(report.toolVersion): memory settings for Bazel \(report.plan.release)."))
        out.append(ShellQuoting.comment("The workspace .bazelrc must contain: try-import %workspace%/\(name)"))
        out.append("set -eu")
        out += ShellQuoting.writeFile(name, body: fragment)
        out.append(ShellQuoting.line(["grep", "-qF", "try-import %workspace%/\(name)", ".bazelrc"]) + " 2>/dev/null \\")
        out.append("  || " + ShellQuoting.line(["echo", "warning: .bazelrc does not import \(name); its settings will not apply"]) + " >&2")
        out.append(ShellQuoting.comment("A server started before this step would escape the limit: stop it first."))
        out.append(ShellQuoting.line(["bazel", "shutdown"]) + " || true")
        if let cgroup = report.plan.cgroup {
            let properties = cgroup.limits.systemdProperties.flatMap { ["-p", $0] }
            out.append("if command -v systemd-run >/dev/null 2>&1 && [ -d /run/systemd/system ]; then")
            out.append("  " + ShellQuoting.line(["systemd-run", "--scope", "--quiet"] + properties + ["--"] + command))
            out.append("else")
            out.append("  " + ShellQuoting.line(["echo", "warning: systemd not available; running without the memory limit (\(cgroup.limits.description))"]) + " >&2")
            out.append("  " + ShellQuoting.line(command))
            out.append("fi")
        } else {
            out.append(ShellQuoting.line(command))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
