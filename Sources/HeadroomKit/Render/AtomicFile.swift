import Foundation

/// Writes a file by writing a temporary sibling and renaming it, so a reader never sees half.
public enum AtomicFile {
    /// Why a report could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func write(_ data: Data, to path: String, overwrite: Bool) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) && !overwrite {
            throw WriteError(path: path, reason: "exists; pass --force to replace it")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(at: temporary)
                throw WriteError(path: path, reason: reason)
            }
        } catch let error as WriteError {
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw WriteError(path: path, reason: error.localizedDescription)
        }
    }
}
