import Foundation
import HeadroomStore

/// Finds a program by name in the folders of a PATH, as a shell would, but only in absolute
/// folders: an empty or relative entry would make the current folder choose the program.
package enum ExecutableSearch {
    package static func find(_ name: String, in path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") -> String? {
        for folder in path.split(separator: ":") where folder.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }
}
