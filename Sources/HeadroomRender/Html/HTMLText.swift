import HeadroomPlan

/// The one escaping helper of the HTML report: every string from an input goes through it,
/// in text and in attribute values alike.
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as character references; control characters other than tab
    /// and newline dropped (they are not allowed in HTML or in SVG's XML).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
