#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// Whole-file reads and listings of the small files the kernel generates under `/proc` and cgroup mounts.
///
/// Plain POSIX calls rather than Foundation: these are read every sample, and every failure is
/// nil rather than an error, because a process exiting or a cgroup being removed between
/// listing and reading is a normal outcome, not a fault.
package enum KernelFile {
    /// The bytes of `path` (at most `limit`), or nil when it cannot be opened or read.
    package static func bytes(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        if let cache = KernelFileCache.active {
            return cache.bytes(path, limit: limit)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return read(descriptor, limit: limit)
    }

    /// Reads from offset 0 to the end (or `limit`); nil on a read error.
    static func read(_ descriptor: Int32, limit: Int) -> [UInt8]? {
        // Most of these files fit one page: read into a stack buffer, allocate only the result.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk -> [UInt8]? in
            var result: [UInt8] = []
            while result.count < limit {
                let wanted = min(chunk.count, limit - result.count)
                let count = pread(descriptor, chunk.baseAddress, wanted, off_t(result.count))
                if count < 0 {
                    if errno == EINTR { continue }
                    // ESRCH: the process exited after the open; the file has nothing more to give.
                    return nil
                }
                if count == 0 { break }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<count]))
                // The kernel's generated files come whole in one read when they fit: a short
                // read is the end, and skipping the empty read that would confirm it halves the calls.
                if count < wanted { break }
            }
            return result
        }
    }

    /// The text of `path`, decoded leniently, or nil when it cannot be read.
    package static func text(_ path: String, limit: Int = 1 << 20) -> String? {
        bytes(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The names in a directory, without `.` and `..`, or nil when it cannot be listed.
    package static func entries(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The modification time of `path` in seconds since the epoch.
    static func modificationTime(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }

    /// `base` and `name` joined with one slash.
    static func join(_ base: String, _ name: String) -> String {
        if base.isEmpty { return name }
        let trimmedName = name.hasPrefix("/") ? String(name.dropFirst()) : name
        if trimmedName.isEmpty { return base }
        return base.hasSuffix("/") ? base + trimmedName : base + "/" + trimmedName
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
