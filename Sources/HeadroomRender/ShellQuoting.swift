import HeadroomPlan

/// Quotes words for a POSIX shell, for the command lines reports print.
public enum ShellQuoting {
    /// The word as is when it is plainly safe, else in single quotes.
    public static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@%+,")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public static func line(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}

import Foundation
