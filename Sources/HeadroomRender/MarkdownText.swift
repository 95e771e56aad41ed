import HeadroomPlan

/// Escaping for text from inputs placed in Markdown: table cells and inline text must not turn
/// into markup, links or HTML, and stay on their line (control characters shown as pictures).
public enum MarkdownText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in VisibleText.oneLine(text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")) {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "!": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Inline code; the text cannot close it early nor leave its line.
    public static func code(_ text: String) -> String {
        let longest = text.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        return fence + VisibleText.oneLine(padded.replacingOccurrences(of: "\n", with: " ")) + fence
    }

    /// A fenced code block holding `lines` (each made one line), with a fence longer than any
    /// run of backticks in them, so that no line can close it early.
    public static func codeBlock(_ lines: [String]) -> [String] {
        let flat = lines.map { VisibleText.oneLine($0) }
        let longest = flat.flatMap { $0.split(whereSeparator: { $0 != "`" }).map(\.count) }.max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence] + flat + [fence]
    }

    /// Inline code inside a table cell: a `|` would end the cell even in code, so it is escaped
    /// (forges render `\|` in a table's code span as `|`).
    public static func tableCode(_ text: String) -> String {
        code(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
