import HeadroomPlan

/// Word wrapping for terminal reports, so paragraphs fit 80 columns.
public enum TextWrap {
    /// `text` broken at spaces into lines of at most `width` characters, each after `indent`
    /// (the first after `firstIndent` when given). A word longer than the width gets a line of its own.
    /// Line breaks and control characters in the text (from an input) are shown as pictures, so a
    /// paragraph only ever breaks where it is wrapped.
    public static func wrap(_ text: String, width: Int = 80, indent: String = "", firstIndent: String? = nil) -> String {
        var lines: [String] = []
        var line = firstIndent ?? indent
        var lineHasWord = false
        for word in VisibleText.oneLine(text).split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
