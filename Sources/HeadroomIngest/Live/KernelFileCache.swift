#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import HeadroomCore

/// Keeps the kernel files a sampler reads open, re-reading each with one `pread` at offset 0
/// (procfs and cgroup files are generated afresh on every read) instead of open, read, close.
///
/// Turned on for the length of `withActive`; a descriptor that fails (its process exited, its
/// cgroup was removed) is closed and that read gives nil: the thing it showed is gone, and
/// opening the same path again at once could show another process that got its number.
public final class KernelFileCache: Sendable {
    private let descriptors = Mutex<[String: Int32]>([:])
    /// More open files than this and the cache is emptied: a sampler follows one tree.
    static let limit = 512

    /// The cache in use and the thread using it: other threads (a command runner looking at
    /// its child's processes while a sampler samples) read files the plain way.
    private static let current = Mutex<(cache: KernelFileCache, thread: pthread_t)?>(nil)

    static var active: KernelFileCache? {
        current.withLock { current in
            guard let current, pthread_equal(current.thread, pthread_self()) != 0 else { return nil }
            return current.cache
        }
    }

    public init() {}

    /// Runs `body` with this cache serving every kernel file read on this thread.
    public func withActive<T>(_ body: () throws -> T) rethrows -> T {
        let previous = Self.current.withLock { current in
            let old = current
            current = (self, pthread_self())
            return old
        }
        defer { Self.current.withLock { $0 = previous } }
        return try body()
    }

    func bytes(_ path: String, limit: Int) -> [UInt8]? {
        if let descriptor = descriptors.withLock({ $0[path] }) {
            if let bytes = KernelFile.read(descriptor, limit: limit) { return bytes }
            forget(path)
            return nil
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard let bytes = KernelFile.read(descriptor, limit: limit) else {
            close(descriptor)
            return nil
        }
        descriptors.withLock { table in
            if table.count >= Self.limit {
                for (_, open) in table { close(open) }
                table.removeAll()
            }
            table[path] = descriptor
        }
        return bytes
    }

    private func forget(_ path: String) {
        descriptors.withLock { table in
            if let descriptor = table.removeValue(forKey: path) { close(descriptor) }
        }
    }

    deinit {
        descriptors.withLock { table in
            for (_, descriptor) in table { close(descriptor) }
        }
    }
}
