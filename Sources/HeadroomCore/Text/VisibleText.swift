/// Text from logs made safe to print: control characters a terminal would obey (escape
/// sequences that move the cursor, retitle the window or clear the screen; carriage returns
/// that overwrite a line; NUL, bell) become their visible Unicode pictures (`␛`, `␍`, `␀`),
/// C1 controls become `�`. Tabs, line feeds and Headroom's own colour sequences
/// (`ESC [ digits ; m`) pass unchanged. The pictures are plain characters, so JSON, Markdown and
/// HTML that went through this stay valid.
public enum VisibleText {
    /// `text` with every control character but tab and line feed made visible.
    public static func make(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsPicture) else { return text }
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let end = colourSequenceEnd(scalars, from: index) {
                result.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            result.append(needsPicture(scalar) ? picture(of: scalar) : scalar)
            index += 1
        }
        return String(result)
    }

    /// `text` as one line: every control character, line feeds and tabs too, and the Unicode line
    /// and paragraph separators become pictures (`␊`, `␉`, `␍`), so that text from an input can
    /// stand in a comment, a table cell or a label and never start a line of its own.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControlOrLineBreak) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2028, 0x2029: result.append("\u{21B5}")
            default: result.append(isControlOrLineBreak(scalar) ? picture(of: scalar) : scalar)
            }
        }
        return String(result)
    }

    /// A control character (C0, DEL, C1) or a Unicode line or paragraph separator: what no
    /// one-line text, `.bazelrc` word or replayed option may hold.
    package static func isControlOrLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    private static func needsPicture(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value)
    }

    private static func picture(of scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0..<0x20: Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}"
        case 0x7F: "\u{2421}"
        default: "\u{FFFD}"
        }
    }

    /// The index of the `m` ending a Select Graphic Rendition sequence (`ESC [ 0-9 ; … m`) that
    /// starts at `start`, or nil when the escape starts anything else.
    private static func colourSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count, index - start < 32 {
            let scalar = scalars[index]
            if scalar == "m" { return index }
            guard ("0"..."9").contains(scalar) || scalar == ";" else { return nil }
            index += 1
        }
        return nil
    }
}
