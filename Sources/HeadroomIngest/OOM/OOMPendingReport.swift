import HeadroomCore

/// One OOM report while its lines are read: the kill so far and which block of the report is open.
package struct OOMPendingReport {
    var kill: OOMKill
    var summary: [String: String]?
    var table: OOMTaskTable?
    var section = Section.body
    /// `memory: usage` or `Task in` lines: printed only for memcg OOMs.
    var sawMemcgLines = false
    /// `Mem-Info:`: printed only for OOMs that are not memcg ones.
    var sawMemInfo = false
    var statsBlocks = 0
    var statsPath: String?
    var unrelatedLines = 0

    enum Section {
        case body
        /// Inside `Memory cgroup stats for /p:`; `key value` lines follow.
        case stats
    }

    /// The `memory.stat` fields kept (all in bytes); counters such as `pgfault` are left out.
    static let statKeys: Set<String> = [
        // cgroup v2 (and v1 reports of 5.3 to 6.4, which printed v2 names)
        "anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables", "percpu", "sock", "vmalloc",
        "shmem", "zswap", "zswapped", "file_mapped", "file_dirty", "file_writeback", "swapcached", "anon_thp",
        "file_thp", "shmem_thp", "slab_reclaimable", "slab_unreclaimable", "slab",
        // both
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
        // cgroup v1
        "cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback", "swap", "total_cache", "total_rss",
        "total_rss_huge", "total_shmem", "total_mapped_file", "total_swap", "hierarchical_memory_limit",
        "hierarchical_memsw_limit",
    ]

    /// At most this many PIDs are listed per kind of task-table evidence.
    static let evidenceLimit = 16

    init(kill: OOMKill) {
        self.kill = kill
    }

    /// Whether a line stamped `prefix` is too far from the report's start to belong to it.
    func isStale(at prefix: KernelLinePrefix) -> Bool {
        if let start = kill.time.uptimeSeconds, let now = prefix.uptimeSeconds {
            return now < start - 2 || now - start > OOMReportParser.reportSecondsLimit
        }
        if let start = kill.time.epochSeconds, let now = prefix.epochSeconds {
            return now < start - 2 || now - start > OOMReportParser.reportSecondsLimit
        }
        return false
    }

    mutating func recordKill(_ killed: (message: String?, victim: OOMKill.Victim)) {
        kill.victim = killed.victim
        if let message = killed.message { kill.killMessage = message }
        kill.hasKillLine = true
    }

    /// Reads one line of the report body; returns whether it was one of the report's lines.
    mutating func read(_ cursor: ByteCursor, context: OOMClassificationContext, options: OOMReadOptions) -> Bool {
        if section == .stats {
            if let stat = OOMReportLines.statLine(cursor) {
                if statsBlocks == 1, Self.statKeys.contains(stat.key) { kill.memcgStats[stat.key] = stat.value }
                return true
            }
            section = .body
        }
        if cursor.peek() == UInt8(ascii: "[") {
            return readTaskTableLine(cursor, context: context, options: options)
        }
        if let usage = OOMReportLines.usage(cursor, label: "memory: ") {
            sawMemcgLines = true
            if kill.usageBytes == nil && kill.limitBytes == nil {
                kill.usageBytes = usage.usage
                kill.limitBytes = Self.limit(usage.limit)
                kill.failCount = usage.failCount
            }
            return true
        }
        if let swap = OOMReportLines.usage(cursor, label: "memory+swap: ") ?? OOMReportLines.usage(cursor, label: "swap: ") {
            kill.swapUsageBytes = swap.usage
            kill.swapLimitBytes = Self.limit(swap.limit)
            return true
        }
        if cursor.hasPrefix("kmem: ") || cursor.hasPrefix("Tasks state") {
            return true
        }
        if let stats = OOMReportLines.statsHeader(cursor) {
            sawMemcgLines = true
            statsBlocks += 1
            // Before 5.0 the children of the limited cgroup follow it, each with its own block.
            if statsBlocks == 1 {
                statsPath = stats.path
                for (key, value) in stats.inline where Self.statKeys.contains(key) { kill.memcgStats[key] = value }
            }
            section = .stats
            return true
        }
        if let memcgs = OOMReportLines.taskIn(cursor) {
            sawMemcgLines = true
            kill.taskMemcg = memcgs.taskMemcg
            kill.memcg = memcgs.memcg
            return true
        }
        if cursor.hasPrefix("Mem-Info:") {
            sawMemInfo = true
            return true
        }
        if let summary = OOMReportLines.summary(cursor) {
            self.summary = summary
            return true
        }
        if let selection = OOMReportLines.kill(cursor) {
            kill.selected = selection.selection
            if let message = selection.message { kill.killMessage = message }
            return true
        }
        if kill.trigger != nil, kill.trigger?.pid == nil, let task = OOMReportLines.stackDumpTask(cursor) {
            kill.trigger?.pid = task.pid
            return true
        }
        if let pages = OOMReportLines.pagesRAM(cursor) {
            kill.hostRAMBytes = pages.multipliedReportingOverflow(by: options.pageSize).overflow ? nil : pages * options.pageSize
            return true
        }
        return false
    }

    private mutating func readTaskTableLine(_ cursor: ByteCursor, context: OOMClassificationContext, options: OOMReadOptions) -> Bool {
        if table != nil, let task = table!.row(cursor) {
            if context.serverEvidence(pid: task.pid, name: task.name) != nil, kill.serverPIDsInTaskTable.count < Self.evidenceLimit {
                kill.serverPIDsInTaskTable.append(task.pid)
            }
            if task.name == "java", kill.javaPIDsInTaskTable.count < Self.evidenceLimit {
                kill.javaPIDsInTaskTable.append(task.pid)
            }
            return true
        }
        if table == nil, let header = OOMTaskTable(header: cursor, pageSize: options.pageSize, limit: options.maxTasksPerKill) {
            table = header
            return true
        }
        return false
    }

    /// The finished kill: task table, summary and the constraint put in, with notes on what was inferred.
    func finish() -> OOMKill {
        var kill = self.kill
        if let table {
            let finished = table.finish()
            kill.tasks = finished.tasks
            kill.omittedTaskCount = finished.omitted
            kill.taskCount = table.count
            kill.taskTableColumns = table.columnNames
        }
        if let summary {
            kill.constraintRaw = summary["constraint"]
            kill.memcg = summary["oom_memcg"] ?? kill.memcg
            kill.taskMemcg = summary["task_memcg"] ?? kill.taskMemcg
            if kill.victim == nil, let name = summary["task"], let pid = summary["pid"].flatMap({ Int($0) }) {
                var victim = OOMKill.Victim(name: name, pid: pid)
                victim.uid = summary["uid"].flatMap { Int($0) }
                kill.victim = victim
                kill.notes.append("victim named by the oom-kill summary; its kill line (with its RSS) is missing")
            }
        }
        let constraint = constraint(of: kill)
        kill.constraint = constraint.0
        if let note = constraint.note { kill.notes.append(note) }
        if kill.constraint == .memcg, kill.memcg == nil { kill.memcg = statsPath }
        if !kill.hasHeader {
            kill.notes.insert("no report header: the kernel rate-limited it or the log begins after it", at: 0)
        }
        kill.isComplete = kill.hasHeader && kill.hasKillLine
        return kill
    }

    /// The constraint, and a note when it was inferred rather than printed.
    private func constraint(of kill: OOMKill) -> (OOMKill.Constraint, note: String?) {
        switch kill.constraintRaw {
        case "CONSTRAINT_MEMCG": return (.memcg, nil)
        case "CONSTRAINT_NONE": return (.global, nil)
        case .some: return (.other, nil)
        case .none: break
        }
        if summary?["global_oom"] != nil { return (.global, nil) }
        if sawMemcgLines {
            return (.memcg, "constraint inferred from the memory cgroup lines (no oom-kill summary: before 5.0, or cut)")
        }
        if kill.killMessage == "Memory cgroup out of memory" {
            return (.memcg, "constraint inferred from the kill message")
        }
        if sawMemInfo || kill.killMessage?.hasPrefix("Out of memory") == true {
            return (.global, "constraint inferred: no memory cgroup lines (a cpuset or mempolicy OOM before 5.0 reads the same)")
        }
        return (.unknown, nil)
    }

    /// A limit, or nil for "no limit": the kernel prints `PAGE_COUNTER_MAX` pages (about 8 EiB).
    static func limit(_ bytes: Int64?) -> Int64? {
        guard let bytes, bytes < (1 << 62) else { return nil }
        return bytes
    }
}
