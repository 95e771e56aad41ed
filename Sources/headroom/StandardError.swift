import Foundation
import HeadroomKit


/// Messages for a person on standard error, prefixed with the program's name, with control
/// characters from input files made visible.
enum StandardError {
    static func say(_ text: String) {
        FileHandle.standardError.write(Data("headroom: \(VisibleText.make(text))\n".utf8))
    }
}
