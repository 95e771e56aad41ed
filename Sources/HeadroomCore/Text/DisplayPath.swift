import Foundation

/// Sources name files as the user would: relative to the current directory when inside it.
public enum DisplayPath {
    public static func relative(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        guard path.hasPrefix(current + "/") else { return path }
        return String(path.dropFirst(current.count + 1))
    }
}
