import Foundation

/// Messages for a person on standard error, prefixed with the program's name.
enum StandardError {
    static func say(_ text: String) {
        FileHandle.standardError.write(Data("headroom: \(text)\n".utf8))
    }
}
