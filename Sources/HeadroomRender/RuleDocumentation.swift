import HeadroomPlan

/// Rule documentation generated from the rules' descriptions: `headroom explain` and the README's
/// rule table (a test keeps the committed copy current).
public enum RuleDocumentation {
    /// One line per rule: identifier and title.
    public static func list() -> String {
        let width = (RuleRegistry.rules.map { $0.description.identifier.count }.max() ?? 0) + 2
        return RuleRegistry.rules.map { rule in
            rule.description.identifier.padding(toLength: width, withPad: " ", startingAt: 0) + rule.description.title
        }.joined(separator: "\n") + "\n"
    }

    /// One rule in full: title, stage, rationale and its examples.
    public static func explain(_ description: RuleDescription) -> String {
        var out = ["\(description.identifier): \(description.title)", "", TextWrap.wrap(description.rationale), ""]
        out.append("Runs in the \(description.stage) stage.")
        out.append("Fires on, for example:")
        out += description.triggeringExamples.map { "  - \($0.name)" }
        out.append("Stays quiet on, for example:")
        out += description.nonTriggeringExamples.map { "  - \($0.name)" }
        return out.joined(separator: "\n") + "\n"
    }

    /// The README's table: identifier, title, and the rationale.
    public static func markdownTable() -> String {
        var lines = ["| rule | what it checks | why, and where the thresholds come from |", "|---|---|---|"]
        for rule in RuleRegistry.rules {
            let description = rule.description
            lines.append("| `\(description.identifier)` | \(cell(description.title)) | \(cell(description.rationale)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
