#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HeadroomCore

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
        // The checks above rule out folders, devices and FIFOs; the reader does the rest.
        let reader = try FileChunkReader(path: path)
        var data = Data()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try reader.read(into: chunk)
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
            guard Int64(data.count) <= limit else {
                throw InputError(path: path, reason: "grew past \(limit) bytes while being read; a \(kind) is smaller")
            }
        }
    }
}
