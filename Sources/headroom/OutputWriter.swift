import ArgumentParser
import Foundation
import HeadroomKit

/// Writes a report to standard output, or atomically to a file the user named.
enum OutputWriter {
    static func write(_ text: String, to path: String?, force: Bool) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try AtomicFile.write(Data(text.utf8), to: path, overwrite: force)
        } catch let error as AtomicFile.WriteError {
            StandardError.say("\(error)")
            throw ExitCode(3)
        }
    }
}
