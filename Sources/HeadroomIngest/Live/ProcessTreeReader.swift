import HeadroomCore

/// Sums a process and all its descendants, found from the parent links in `/proc/[0-9]*/stat`.
///
/// The `stat` files are read (a few hundred bytes each) rather than
/// `/proc/PID/task/*/children`: the children files exist only with `CONFIG_PROC_CHILDREN` and
/// the kernel documents them as unreliable for a running tree, while the scan always works.
/// A process that double-forks away (a daemon reparented to init) leaves the tree, as it should.
public struct ProcessTreeReader: Sendable {
    public var procRoot: String
    /// How many of the largest processes to name.
    public var largestCount: Int

    public init(procRoot: String = "/proc", largestCount: Int = 5) {
        self.procRoot = procRoot
        self.largestCount = largestCount
    }

    /// The tree under `rootPID` summed, or nil when the root process is gone.
    public func read(rootPID: Int) -> ProcessTreeMemory? {
        ProcessTreeTracker(reader: self).read(rootPID: rootPID)
    }

    /// `rootPID` followed by all its descendants (breadth first), from a scan of `/proc`.
    public func descendants(of rootPID: Int) -> [Int] {
        ProcessTreeTracker(reader: self).descendants(of: rootPID)
    }

    /// The parent pid in a `/proc/PID/stat`: `pid (comm) state ppid …`.
    ///
    /// Read after the *last* `)`: the command name may hold spaces, parentheses and `)`.
    public static func parentPID(inStat bytes: [UInt8]) -> Int? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var cursor = ByteCursor(buffer, position: close + 1)
            cursor.skipSpaces()
            // The state: one letter.
            while let byte = cursor.peek(), byte != UInt8(ascii: " ") { cursor.position += 1 }
            cursor.skipSpaces()
            guard let value = cursor.parseInteger() else { return nil }
            guard cursor.isAtEnd || cursor.peek() == UInt8(ascii: " ") || cursor.peek() == 0x0A else { return nil }
            return Int(exactly: value)
        }
    }

    /// The sums of `members`, the largest of them first. Sums saturate rather than trap.
    package static func summarize(rootPID: Int, members: [ProcessMemory], rootPeak: Int64?, largestCount: Int) -> ProcessTreeMemory {
        var rss: Int64 = 0
        var anon: Int64 = 0
        var file: Int64 = 0
        var shmem: Int64 = 0
        for member in members {
            rss = saturatingAdd(rss, member.rssBytes)
            anon = saturatingAdd(anon, member.anonBytes ?? 0)
            file = saturatingAdd(file, member.fileBytes ?? 0)
            shmem = saturatingAdd(shmem, member.shmemBytes ?? 0)
        }
        let largest = members.sorted { ($0.rssBytes, -$0.pid) > ($1.rssBytes, -$1.pid) }.prefix(max(0, largestCount))
        // Sources without the split (pidstat) leave it unknown rather than zero.
        let hasSplit = members.contains { $0.anonBytes != nil || $0.fileBytes != nil || $0.shmemBytes != nil }
        return ProcessTreeMemory(
            rootPID: rootPID, processCount: members.count, rssBytes: rss, anonBytes: hasSplit ? anon : nil,
            fileBytes: hasSplit ? file : nil, shmemBytes: hasSplit ? shmem : nil, rootPeakRSSBytes: rootPeak, largest: Array(largest))
    }

    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : sum
    }
}
