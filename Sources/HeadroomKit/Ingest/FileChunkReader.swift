#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input, or a FIFO) through a raw file descriptor.
public final class FileChunkReader: ChunkReader {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    public private(set) var warnings: [String] = []
    public var isPartial: Bool { false }

    /// Opens `path` for reading; `-` means standard input.
    public init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(path: path, reason: Self.describe(errno: errno))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(path: path, reason: "is a directory, not a file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, reason: Self.describe(errno: errno)) }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw InputError(path: path, reason: "read failed: " + Self.describe(errno: errno))
        }
    }

    /// Whether `path` is a FIFO or another stream that can be read only once.
    static func isStream(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) != S_IFREG
    }

    static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory, not a file"
        default: return String(cString: strerror(code))
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
