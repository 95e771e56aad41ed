#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a small file whole (an rc file, a bundle manifest, a recording's JSON): only a regular
/// file, and only up to a size limit, so a folder, a device, a FIFO or a huge file given by
/// mistake is a clear error rather than a hang or a blown memory budget.
public enum SmallFile {
    /// Files larger than this are refused: no rc file or bundle metadata is near it.
    public static let defaultLimit: Int64 = 16 << 20

    /// The bytes of `path`; `kind` names what the file should be, for the messages.
    public static func read(_ path: String, kind: String, limit: Int64 = defaultLimit) throws(InputError) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw InputError(path: path, reason: "cannot read \(kind): \(FileChunkReader.describe(errno: errno))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw InputError(path: path, reason: "is not a regular file (a folder, device or FIFO); a \(kind) is a plain file")
        }
        guard Int64(status.st_size) <= limit else {
            throw InputError(path: path, reason: "is \(status.st_size) bytes, larger than a \(kind) can sensibly be (\(limit))")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(path: path, reason: FileChunkReader.describe(errno: errno)) }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, reason: "read failed: " + FileChunkReader.describe(errno: errno))
            }
            data.append(contentsOf: chunk[0..<count])
            guard Int64(data.count) <= limit else {
                throw InputError(path: path, reason: "grew past \(limit) bytes while being read; a \(kind) is smaller")
            }
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
