import HeadroomPlan

/// Writes `.bazelrc` text: option words quoted as Bazel's rc parser reads them
/// (`BazelrcTokenizer`), comments one line each, and a value that no quoting can carry safely
/// refused with the reason.
public enum BazelrcQuoting {
    /// Why an option cannot be written into a `.bazelrc`.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The word as Bazel's tokenizer gives it back: plain when it holds nothing the tokenizer
    /// reads specially, else with a backslash before each whitespace, quote, `#` and backslash.
    /// Refused: control characters (a line feed ends the line, a backslash before one joins the
    /// next, and the rest are no part of an option) and `%workspace%`, which Bazel replaces in
    /// every option it reads from an rc file with no escape to stop it.
    public static func word(_ word: String) throws(Refusal) -> String {
        if word.unicodeScalars.contains(where: VisibleText.isControlOrLineBreak) {
            throw Refusal(reason: "it holds a control character or line break, which a .bazelrc line cannot carry")
        }
        if word.contains("%workspace%") {
            throw Refusal(reason: "Bazel would replace its %workspace% with the workspace's path")
        }
        if word.isEmpty { return "''" }
        var out = ""
        for character in word {
            switch character {
            case " ", "\"", "'", "#", "\\": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }

    /// `scope --option`, or the reason it cannot be written.
    public static func optionLine(_ setting: BazelSetting) throws(Refusal) -> String {
        "\(setting.scope.rawValue) \(try word(setting.argument))"
    }

    /// A comment (`CommentLine`).
    public static func comment(_ text: String) -> String {
        CommentLine.make(text)
    }
}
