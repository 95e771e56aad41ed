import HeadroomPlan

/// Escaping and number spelling shared by the OpenMetrics and Prometheus text formats.
package enum MetricsText {
    /// A label value: backslash, double quote and line feed escaped, as both formats require;
    /// other control characters (a carriage return some parsers take for a line end, NUL, an
    /// escape sequence) shown as pictures (`VisibleText`), since a label names a thing and need
    /// not carry them.
    static func labelValue(_ text: String) -> String {
        var out = ""
        for character in visible(text) {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// `# HELP` text: the escapes both formats read (a double quote needs none in either).
    static func help(_ text: String) -> String {
        visible(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Every control character but the line feed, which both formats escape, as a picture.
    private static func visible(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { VisibleText.oneLine(String($0)) }.joined(separator: "\n")
    }

    /// `{a="1",b="2"}`, or nothing without labels.
    static func labelSet(_ labels: [(name: String, value: String)]) -> String {
        labels.isEmpty ? "" : "{" + labels.map { "\($0.name)=\"\(labelValue($0.value))\"" }.joined(separator: ",") + "}"
    }
}
