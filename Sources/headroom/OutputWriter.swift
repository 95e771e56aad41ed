import ArgumentParser
import Foundation
import HeadroomKit

/// Writes a report to standard output, or atomically to a file the user named. Control
/// characters that came from input files are made visible first (`VisibleText`).
enum OutputWriter {
    static func write(_ report: String, to path: String?, force: Bool) throws {
        let text = VisibleText.make(report)
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try AtomicFile.write(Data(text.utf8), to: path, overwrite: force)
        } catch let error as AtomicFile.WriteError {
            StandardError.say("\(error)")
            throw ExitCode(.inputUnreadable)
        }
    }
}
