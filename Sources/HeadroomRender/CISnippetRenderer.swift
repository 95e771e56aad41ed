import HeadroomPlan

/// `--emit ci`: a shell snippet for a CI bootstrap step that writes the `.bazelrc` fragment and
/// runs Bazel under the planned memory limits.
public enum CISnippetRenderer {
    public static func render(_ report: AnalysisReport, command: [String] = ["bazel", "build", "//..."]) -> String {
        let fragment = BazelrcFragmentRenderer.render(report)
        let name = BazelrcFragmentRenderer.suggestedName
        var out: [String] = []
        out.append("#!/bin/sh")
        out.append("# CI bootstrap by Headroom \(report.toolVersion): memory settings for Bazel \(report.plan.release).")
        out.append("# The workspace .bazelrc must contain: try-import %workspace%/\(name)")
        out.append("set -eu")
        out.append("cat > \(name) <<'HEADROOM_EOF'")
        out.append(fragment.hasSuffix("\n") ? String(fragment.dropLast()) : fragment)
        out.append("HEADROOM_EOF")
        out.append("grep -qF 'try-import %workspace%/\(name)' .bazelrc 2>/dev/null \\")
        out.append("  || echo 'warning: .bazelrc does not import \(name); its settings will not apply' >&2")
        out.append("# A server started before this step would escape the limit: stop it first.")
        out.append("bazel shutdown || true")
        if let cgroup = report.plan.cgroup {
            let properties = cgroup.limits.systemdProperties.flatMap { ["-p", $0] }
            out.append("if command -v systemd-run >/dev/null 2>&1 && [ -d /run/systemd/system ]; then")
            out.append("  " + ShellQuoting.line(["systemd-run", "--scope", "--quiet"] + properties + ["--"] + command))
            out.append("else")
            out.append("  echo 'warning: systemd not available; running without the memory limit (\(cgroup.limits.description))' >&2")
            out.append("  " + ShellQuoting.line(command))
            out.append("fi")
        } else {
            out.append(ShellQuoting.line(command))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
