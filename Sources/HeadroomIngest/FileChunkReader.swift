#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// Reads a file (or standard input, or a FIFO) through a raw file descriptor.
public final class FileChunkReader: ChunkReader {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    public private(set) var warnings: [String] = []
    public var isPartial: Bool { false }

    /// How long to wait for a FIFO's writer to send something before giving up.
    public static let defaultWriterWait: Double = 30

    /// Opens `path` for reading; `-` means standard input. A FIFO is read as a stream once its
    /// writer sends something (at most `writerWait` seconds, so a FIFO nobody writes to is an
    /// error, not a hang); devices are refused, since `/dev/zero` or a disk would never end.
    public init(path: String, writerWait: Double = FileChunkReader.defaultWriterWait) throws(InputError) {
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
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw InputError(path: path, reason: "is a directory, not a file")
        case S_IFCHR, S_IFBLK: throw InputError(path: path, reason: "is a device, not a file")
        case S_IFSOCK: throw InputError(path: path, reason: "is a socket, not a file")
        case S_IFIFO:
            descriptor = try Self.openFIFO(path, writerWait: writerWait)
        default:
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(path: path, reason: Self.describe(errno: errno)) }
            descriptor = fd
        }
        ownsDescriptor = true
    }

    /// Opens a FIFO without blocking, waits for its writer's first bytes (or end of stream),
    /// then reads it blocking like a pipe. An anonymous pipe (`<(command)` in a shell) has its
    /// writer already, however slow, and is waited for without a limit.
    private static func openFIFO(_ path: String, writerWait: Double) throws(InputError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw InputError(path: path, reason: describe(errno: errno)) }
        if isAnonymousPipe(fd) {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        }
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = monotonicSeconds() + writerWait
        while true {
            let left = deadline - monotonicSeconds()
            let ready = left > 0 ? poll(&request, 1, Int32(min(left * 1000, 1_000_000).rounded(.up))) : 0
            if ready > 0 { break }
            if ready < 0 && errno == EINTR { continue }
            close(fd)
            throw InputError(path: path, reason: ready == 0
                ? "is a FIFO nobody wrote to within \(Int(writerWait)) s"
                : "waiting on the FIFO failed: " + describe(errno: errno))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Whether `fd` is a pipe without a name, as `/proc/self/fd` shows it (`pipe:[…]`).
    private static func isAnonymousPipe(_ fd: Int32) -> Bool {
        var target = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/self/fd/\(fd)", &target, target.count - 1)
        return count > 0 && String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("pipe:")
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
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
