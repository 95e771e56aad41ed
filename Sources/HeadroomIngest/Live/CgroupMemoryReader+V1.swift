import HeadroomCore

/// The cgroup v1 memory controller's files.
extension CgroupMemoryReader {
    static func readV1(directory: String, path: String) -> CgroupMemory {
        func file(_ name: String) -> String? { KernelFile.text(KernelFile.join(directory, name)) }
        var memory = CgroupMemory(version: 1, path: path)
        memory.usageBytes = KernelText.integerFile(file("memory.usage_in_bytes"))
        memory.peakBytes = KernelText.integerFile(file("memory.max_usage_in_bytes"))
        memory.limitBytes = v1Limit(file("memory.limit_in_bytes"))
        memory.failCount = KernelText.integerFile(file("memory.failcnt"))
        if let control = file("memory.oom_control") {
            let values = KernelText.keyedValues(control)
            memory.underOOM = values["under_oom"].flatMap(KernelText.integer).map { $0 != 0 }
            // `oom_kill` arrived in 4.13; older kernels print only the first two lines.
            memory.oomKillCount = values["oom_kill"].flatMap(KernelText.integer)
        }
        var statSwap: Int64?
        if let text = file("memory.stat") {
            var stat = parseV1Stat(text)
            // Kernel memory charged to the group (slab, stacks): v1's nearest to v2's `kernel`.
            stat.kernelBytes = KernelText.integerFile(file("memory.kmem.usage_in_bytes"))
            memory.stat = stat
            statSwap = v1StatSwap(text)
        }
        // memory.stat's swap line is one snapshot; memsw − usage reads two files at two moments
        // and shows a few hundred KiB of "swap" on a host that has none. The difference is only
        // the fallback for a stat without a swap line (memsw is there when swap accounting is on).
        if let statSwap {
            memory.swapUsageBytes = statSwap
        } else if let usage = memory.usageBytes, let both = KernelText.integerFile(file("memory.memsw.usage_in_bytes")) {
            memory.swapUsageBytes = max(0, both - usage)
        }
        if let limit = memory.limitBytes, let both = v1Limit(file("memory.memsw.limit_in_bytes")), both >= limit {
            memory.swapLimitBytes = both - limit
        }
        return memory
    }

    /// A v1 limit; nil when unlimited (at or above 2^62, see `KernelText.unlimitedThreshold`) or unreadable.
    static func v1Limit(_ text: String?) -> Int64? {
        guard let value = KernelText.integerFile(text), value < KernelText.unlimitedThreshold else { return nil }
        return value
    }

    /// Swap in use from v1 `memory.stat` (`total_swap`, else `swap`): present with swap accounting.
    static func v1StatSwap(_ text: String) -> Int64? {
        let values = KernelText.keyedValues(text)
        return (values["total_swap"] ?? values["swap"]).flatMap(KernelText.integer)
    }

    /// v1 `memory.stat`: hierarchical `total_*` figures (this group and its children, as v2
    /// counts), falling back to the group's own when a kernel has no `total_` lines.
    public static func parseV1Stat(_ text: String) -> CgroupMemoryStat {
        let values = KernelText.keyedValues(text)
        func figure(_ key: String) -> Int64? {
            (values[Substring("total_" + key)] ?? values[Substring(key)]).flatMap(KernelText.integer)
        }
        var stat = CgroupMemoryStat()
        stat.anonBytes = figure("rss")
        stat.fileBytes = figure("cache")
        stat.shmemBytes = figure("shmem")
        return stat
    }
}
