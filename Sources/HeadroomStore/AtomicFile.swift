#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HeadroomRender

/// Writes a file by writing a temporary sibling and renaming it, so a reader never sees half.
///
/// Plain POSIX calls, so that a failure names its real cause (`No space left on device`), and a
/// temporary file that could not be written whole is removed rather than left behind.
public enum AtomicFile {
    /// Why a file could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func write(_ data: Data, to path: String, overwrite: Bool) throws {
        if access(path, F_OK) == 0 && !overwrite {
            throw WriteError(path: path, reason: "exists; pass --force to replace it")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        if let failure = writeWhole(data, to: temporary) {
            unlink(temporary)
            throw WriteError(path: path, reason: String(cString: strerror(failure)))
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Writes and flushes `data` to a new file; the errno of the first failure, or nil.
    private static func writeWhole(_ data: Data, to path: String) -> Int32? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return errno }
        let failure: Int32? = data.withUnsafeBytes { bytes in
            if let failure = DescriptorWriting.writeAll(bytes, to: descriptor) { return failure }
            // A full disk may only show when the data is flushed (tmpfs says so at write time,
            // others at fsync or close).
            return fsync(descriptor) == 0 || errno == EINVAL ? nil : errno
        }
        if close(descriptor) != 0, failure == nil { return errno }
        return failure
    }
}
