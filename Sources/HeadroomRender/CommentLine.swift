import HeadroomPlan

/// A `#` comment in the files Headroom writes (`.bazelrc` fragments, shell snippets, systemd
/// text): always exactly one line, whatever the text holds.
public enum CommentLine {
    /// `# text`, with the text flattened to one line (`VisibleText.oneLine`). A trailing backslash
    /// is shown as `⧵`: Bazel joins a line ending in a backslash with the next one before it
    /// looks for comments, and systemd joins such lines too, so the option line after the
    /// comment would become part of it.
    public static func make(_ text: String) -> String {
        var flat = VisibleText.oneLine(text)
        if flat.hasSuffix("\\") { flat = String(flat.dropLast()) + "\u{29F5}" }
        return flat.isEmpty ? "#" : "# " + flat
    }
}
