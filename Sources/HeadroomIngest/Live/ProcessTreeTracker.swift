import HeadroomCore

/// Follows one process tree from sample to sample, keeping the parent links it has read.
///
/// A sample lists `/proc` and reads `stat` only for processes it has not seen, or whose parent
/// has gone (they were reparented and may have left the tree). Members are read from `statm`,
/// the largest from `status` too: the kernel makes `status` at many times the cost, and a full
/// scan with `status` for everyone cost a 4 Hz sampler of a 50-process tree 3 % of a core.
public final class ProcessTreeTracker {
    private let reader: ProcessTreeReader
    private var parentOf: [Int: Int] = [:]
    /// `/proc` is listed on every `listingInterval`-th call: new processes join the tree within
    /// that many samples, while a process that exits leaves it at once (its files are gone).
    private let listingInterval: Int
    private var callsSinceListing = Int.max - 1
    /// The last `status` of each of the largest members, refreshed every `listingInterval` calls.
    private var details: [Int: (memory: ProcessMemory, age: Int)] = [:]

    public init(reader: ProcessTreeReader = ProcessTreeReader(), listingInterval: Int = 1) {
        self.reader = reader
        self.listingInterval = max(1, listingInterval)
    }

    /// The tree under `rootPID` summed, or nil when the root process is gone (or has exited and
    /// waits, a zombie, for its parent to reap it).
    ///
    /// Every member's resident size comes from `statm` on every call; the root is read from
    /// `status` too, and the largest members for their names, peak and split every
    /// `listingInterval` calls (in between, their last status with this call's resident size). The tree's `anonBytes` is exact
    /// (resident − shared for every member); shared-memory pages are known for the members read
    /// from `status` only, so others' shmem is counted in `fileBytes`.
    public func read(rootPID: Int) -> ProcessTreeMemory? {
        let statusReader = ProcStatusReader(procRoot: reader.procRoot)
        let statmReader = ProcStatmReader(procRoot: reader.procRoot)
        // The root is read first and directly: it may be a thread id that the listing hides.
        guard let root = statusReader.read(pid: rootPID), !root.hasExited else { return nil }
        var resident: [(pid: Int, memory: ProcStatmReader.Resident)] = []
        for pid in descendants(of: rootPID).dropFirst() {
            // A descendant that exited since the listing is simply no longer part of the tree; one
            // that exited and waits to be reaped (a zombie: statm all zeros) is not either.
            if let memory = statmReader.read(pid: pid) {
                if memory.rssBytes > 0 { resident.append((pid, memory)) }
            } else if let status = statusReader.read(pid: pid) {
                // No statm (some procfs views): the status figures give the same two numbers.
                let shared = (status.memory.fileBytes ?? 0) + (status.memory.shmemBytes ?? 0)
                resident.append((pid, .init(rssBytes: status.memory.rssBytes, sharedBytes: min(shared, status.memory.rssBytes))))
            } else {
                // Gone: forgotten until a listing finds it again, so that its number, if reused
                // by an unrelated process, is not read as a member before its parent is checked.
                parentOf[pid] = nil
            }
        }
        resident.sort { ($0.memory.rssBytes, -$0.pid) > ($1.memory.rssBytes, -$1.pid) }
        var detailed = [root.memory]
        var kept: [Int: (memory: ProcessMemory, age: Int)] = [:]
        for entry in resident.prefix(reader.largestCount) {
            if let cached = details[entry.pid], cached.age + 1 < listingInterval {
                // Between refreshes: this sample's resident size, the last status for the rest.
                var memory = cached.memory
                memory.rssBytes = entry.memory.rssBytes
                memory.anonBytes = entry.memory.rssBytes - entry.memory.sharedBytes
                memory.fileBytes = max(0, entry.memory.sharedBytes - (memory.shmemBytes ?? 0))
                memory.peakRSSBytes = max(memory.peakRSSBytes ?? 0, entry.memory.rssBytes)
                detailed.append(memory)
                kept[entry.pid] = (memory, cached.age + 1)
            } else if let status = statusReader.read(pid: entry.pid), !status.hasExited {
                // (One that exited since its statm was read is counted below from that statm alone:
                // a zombie's status has no memory lines, and a 0 among the largest is nonsense.)
                detailed.append(status.memory)
                kept[entry.pid] = (status.memory, 0)
            }
        }
        details = kept
        var tree = ProcessTreeReader.summarize(
            rootPID: rootPID, members: detailed, rootPeak: root.memory.peakRSSBytes, largestCount: reader.largestCount)
        let detailedPIDs = Set(detailed.map(\.pid))
        for entry in resident where !detailedPIDs.contains(entry.pid) {
            tree.processCount += 1
            tree.rssBytes = ProcessTreeReader.saturatingAdd(tree.rssBytes, entry.memory.rssBytes)
            tree.anonBytes = ProcessTreeReader.saturatingAdd(tree.anonBytes ?? 0, entry.memory.rssBytes - entry.memory.sharedBytes)
            tree.fileBytes = ProcessTreeReader.saturatingAdd(tree.fileBytes ?? 0, entry.memory.sharedBytes)
        }
        return tree
    }

    /// `rootPID` followed by all its descendants (breadth first).
    public func descendants(of rootPID: Int) -> [Int] {
        refreshParents()
        var children: [Int: [Int]] = [:]
        for (pid, parent) in parentOf { children[parent, default: []].append(pid) }
        var order = [rootPID]
        var seen: Set<Int> = [rootPID]
        var index = 0
        while index < order.count {
            // Pids read at slightly different moments can, with reuse, form a loop: `seen` ends it.
            for child in (children[order[index]] ?? []).sorted() where seen.insert(child).inserted {
                order.append(child)
            }
            index += 1
        }
        return order
    }

    private func refreshParents() {
        callsSinceListing += 1
        guard callsSinceListing >= listingInterval else { return }
        callsSinceListing = 0
        var alive: Set<Int> = []
        for name in KernelFile.entries(reader.procRoot) ?? [] {
            if let pid = KernelText.integer(name).flatMap({ Int(exactly: $0) }), pid > 0 { alive.insert(pid) }
        }
        parentOf = parentOf.filter { alive.contains($0.key) }
        for pid in alive where parentOf[pid] == nil || !alive.contains(parentOf[pid]!) {
            guard let stat = KernelFile.bytes(KernelFile.join(reader.procRoot, "\(pid)/stat"), limit: 4096),
                let parent = ProcessTreeReader.parentPID(inStat: stat)
            else {
                parentOf[pid] = nil
                continue
            }
            parentOf[pid] = parent
        }
    }
}
