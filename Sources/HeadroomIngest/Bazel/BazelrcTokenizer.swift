import HeadroomCore

/// Splits `.bazelrc` text into logical lines and words the way Bazel's client does, without a shell.
///
/// Bazel removes every backslash-newline pair before splitting lines (so a continued line joins
/// with no space added), then splits each line into words: whitespace separates words, single and
/// double quotes group (the quotes themselves are dropped), a backslash takes the next character
/// literally, and `#` outside quotes ends the line.
package enum BazelrcTokenizer {
    /// One line after continuations are joined, numbered by its first physical line.
    package struct LogicalLine: Equatable {
        package var line: Int
        package var text: String

        package init(line: Int, text: String) {
            self.line = line
            self.text = text
        }
    }

    /// Why a line could not be split into words.
    package struct Failure: Error, Equatable {
        package var reason: String
    }

    package static func logicalLines(_ text: String) -> [LogicalLine] {
        var result: [LogicalLine] = []
        var pending: String?
        var pendingStart = 0
        var number = 0
        // "\r\n" is one Character in Swift, so it is named as a separator of its own.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let continues = line.hasSuffix("\\")
            if continues { line = line.dropLast() }
            if pending == nil {
                pending = String(line)
                pendingStart = number
            } else {
                pending! += line
            }
            if !continues {
                result.append(LogicalLine(line: pendingStart, text: pending!))
                pending = nil
            }
        }
        if let pending, !pending.isEmpty { result.append(LogicalLine(line: pendingStart, text: pending)) }
        return result
    }

    package static func words(_ line: String) throws(Failure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            switch character {
            case "\"", "'":
                quote = character
                inWord = true
            case "#":
                if inWord { words.append(current) }
                return words
            case " ", "\t", "\r", "\u{0B}", "\u{0C}":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            default:
                current.append(character)
                inWord = true
            }
        }
        if let quote { throw Failure(reason: "unterminated \(quote) quote") }
        if escaped { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }
}
