import HeadroomCore

/// Splits a command line typed as one option value (`--run 'bazel test --config=ci //...'`)
/// into words as a POSIX shell would, without running a shell: whitespace separates words,
/// single quotes keep everything literal, double quotes group and let a backslash escape
/// `"`, `\`, `$` and `` ` ``, and a backslash outside quotes takes the next character literally.
/// Nothing is expanded: `$VAR`, `$(…)`, globs and `~` stay as typed.
public enum ShellWords {
    /// Why a line could not be split.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The words of `line`; a quote left open or a trailing backslash is a failure.
    public static func split(_ line: String) throws(Failure) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" {
                        closed = true
                        break
                    }
                    word.append(next)
                }
                guard closed else { throw Failure(reason: "a single quote is not closed") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { break }
                        if !"\"\\$`".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                        continue
                    }
                    word.append(next)
                }
                guard closed else { throw Failure(reason: "a double quote is not closed") }
            case "\\":
                guard let escaped = iterator.next() else { throw Failure(reason: "the line ends in a backslash") }
                // A backslash-newline joins lines, as in a shell.
                if escaped != "\n" {
                    inWord = true
                    word.append(escaped)
                }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
