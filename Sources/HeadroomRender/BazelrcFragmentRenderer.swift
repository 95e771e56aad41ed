import HeadroomPlan

/// `--emit bazelrc`: a fragment for `try-import %workspace%/.bazelrc.memory`, every option under a
/// comment naming its rules and the numbers behind it.
///
/// Every line is written through `BazelrcQuoting`: text from the inputs (a release, a path)
/// only ever stands in a one-line comment, so the fragment holds exactly the planned options.
public enum BazelrcFragmentRenderer {
    public static let suggestedName = ".bazelrc.memory"

    public static func render(_ report: AnalysisReport) -> String {
        var out: [String] = []
        out.append(comment("\(suggestedName): memory settings written by Headroom \(report.toolVersion)\(report.generatedAt.map { " on \($0)" } ?? "")."))
        out.append(comment("Load it from the workspace .bazelrc with: try-import %workspace%/\(suggestedName)"))
        out.append(comment("Planned for Bazel \(report.plan.release), context \(report.facts.context.value.rawValue), from:"))
        for input in report.facts.inputs { out.append(comment("  \(input)")) }
        if report.isPartial { out.append(comment("PARTIAL evidence: some inputs were unreadable or cut short; re-measure before relying on this.")) }
        let settings = report.plan.allSettings
        if settings.isEmpty { out.append(comment("No option to change on this evidence.")) }
        for item in settings {
            out.append("")
            out.append(comment("\(item.rules.joined(separator: ", ")): \(item.setting.reason)"))
            do {
                out.append(try BazelrcQuoting.optionLine(item.setting))
            } catch {
                out.append(comment("not written: \(item.setting.rcLine): \(error.reason)"))
            }
        }
        if let heap = report.plan.heap, heap.action == .hold {
            out.append("")
            out.append(comment("\(heap.rules.joined(separator: ", ")): keep the heap as it is: \(heap.basis)"))
        }
        for dropped in report.plan.dropped {
            out.append("")
            out.append(comment("not set: \(dropped.argument) (\(dropped.rule)): \(dropped.reason)"))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func comment(_ text: String) -> String {
        BazelrcQuoting.comment(text)
    }
}
