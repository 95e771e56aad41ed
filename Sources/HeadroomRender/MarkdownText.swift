import HeadroomPlan

/// Escaping for text from inputs placed in Markdown: table cells and inline text must not turn
/// into markup, links or HTML.
public enum MarkdownText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "!": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Inline code; the text cannot close it early.
    public static func code(_ text: String) -> String {
        let longest = text.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        return fence + padded.replacingOccurrences(of: "\n", with: " ") + fence
    }

    /// Inline code inside a table cell: a `|` would end the cell even in code, so it is escaped
    /// (forges render `\|` in a table's code span as `|`).
    public static func tableCode(_ text: String) -> String {
        code(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
