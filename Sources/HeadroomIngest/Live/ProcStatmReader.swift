import HeadroomCore

/// Reads `/proc/PID/statm`: resident and shared (file + shmem) pages, which the kernel makes far
/// more cheaply than `status`, for sampling every member of a large tree.
public struct ProcStatmReader: Sendable {
    /// Resident memory of one process, in bytes.
    public struct Resident: Sendable, Equatable {
        public var rssBytes: Int64
        /// File-backed and shared-memory pages (`RssFile` + `RssShmem`).
        public var sharedBytes: Int64

        public init(rssBytes: Int64, sharedBytes: Int64) {
            self.rssBytes = rssBytes
            self.sharedBytes = sharedBytes
        }
    }

    public var procRoot: String
    public var pageSize: Int64

    public init(procRoot: String = "/proc", pageSize: Int64 = 4096) {
        self.procRoot = procRoot
        self.pageSize = pageSize
    }

    /// nil when the process is gone or the file is damaged.
    public func read(pid: Int) -> Resident? {
        guard let bytes = KernelFile.bytes(KernelFile.join(procRoot, "\(pid)/statm"), limit: 256) else { return nil }
        return Self.parse(bytes: bytes, pageSize: pageSize)
    }

    /// `size resident shared text lib data dt`, in pages.
    public static func parse(bytes: [UInt8], pageSize: Int64) -> Resident? {
        bytes.withUnsafeBufferPointer { buffer -> Resident? in
            var cursor = ByteCursor(buffer)
            var pages: [Int64] = []
            while pages.count < 3 {
                cursor.skipSpaces()
                guard let value = cursor.parseInteger() else { return nil }
                pages.append(value)
            }
            let (resident, overflowA) = pages[1].multipliedReportingOverflow(by: pageSize)
            let (shared, overflowB) = pages[2].multipliedReportingOverflow(by: pageSize)
            guard !overflowA, !overflowB else { return nil }
            return Resident(rssBytes: resident, sharedBytes: min(shared, resident))
        }
    }
}
