import Foundation
import HeadroomPlan

/// Writes POSIX shell for the snippets and command lines Headroom prints: the one place a word,
/// a comment or a file body becomes shell text, so that no text from an input can become a
/// command.
public enum ShellQuoting {
    /// The word as is when it is plainly safe, else in single quotes, where sh reads every
    /// character literally (a line feed too) except the quote itself. A NUL byte cannot be in
    /// a program's argument at all, so it is shown as `␀`.
    public static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@%+,")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        let word = word.replacingOccurrences(of: "\u{0}", with: "\u{2400}")
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public static func line(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// A comment line (`CommentLine`): sh ends a comment at the line feed, so the text is one line.
    public static func comment(_ text: String) -> String {
        CommentLine.make(text)
    }

    /// `cat > FILE <<'TERMINATOR'`, the body, and the terminator: quoted, so sh expands nothing in
    /// the body, and a terminator that is none of the body's lines (`HEADROOM_EOF`, else with a
    /// number added), so that the body cannot end the here-document early.
    public static func writeFile(_ file: String, body: String) -> [String] {
        let lines = body.hasSuffix("\n") ? String(body.dropLast()) : body
        let bodyLines = Set(lines.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: [" ", "\t"]) })
        var terminator = "HEADROOM_EOF"
        var number = 1
        while bodyLines.contains(terminator) {
            number += 1
            terminator = "HEADROOM_EOF_\(number)"
        }
        return ["cat > \(quote(file)) <<'\(terminator)'", lines, terminator]
    }
}
