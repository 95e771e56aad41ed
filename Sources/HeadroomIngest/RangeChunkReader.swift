#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// Reads a byte range of a file with `pread`, for the entries of a zip archive.
package final class RangeChunkReader: ChunkReader {
    private let descriptor: Int32
    private let path: String
    private var offset: Int64
    private var remaining: Int64
    package var warnings: [String] { [] }
    package var isPartial: Bool { false }

    init(path: String, offset: Int64, length: Int64) throws(InputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, reason: FileChunkReader.describe(errno: errno)) }
        descriptor = fd
        self.path = path
        self.offset = offset
        remaining = length
    }

    deinit { close(descriptor) }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard remaining > 0 else { return 0 }
        while true {
            let wanted = Int(min(Int64(buffer.count), remaining))
            let count = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw InputError(path: path, reason: "read failed: " + FileChunkReader.describe(errno: errno)) }
            offset += Int64(count)
            remaining -= Int64(count)
            if count == 0 { remaining = 0 }
            return count
        }
    }

    /// Reads exactly `count` bytes at `offset`, or fewer at the end of the file.
    static func bytes(of path: String, at offset: Int64, count: Int) throws(InputError) -> [UInt8] {
        let reader = try RangeChunkReader(path: path, offset: offset, length: Int64(count))
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        defer { scratch.deallocate() }
        while filled < count {
            let read = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled..<count]))
            if read == 0 { break }
            filled += read
        }
        for index in 0..<filled { result[index] = scratch[index] }
        result.removeLast(count - filled)
        return result
    }
}
