import HeadroomCore

/// Reads a memory cgroup directory, v1 or v2 (told apart by the files present), into `CgroupMemory`.
///
/// Every file is optional: kernels add files over time (`memory.peak` in 5.19) and a damaged or
/// absent file leaves its field nil rather than failing the whole reading.
public enum CgroupMemoryReader {
    /// The cgroup at `location`; nil when it is gone.
    public static func read(_ location: CgroupLocation) -> CgroupMemory? {
        read(directory: location.directory, path: location.path)
    }

    /// The cgroup in `directory`; nil when it is gone or holds no memory files. `path` is its
    /// path inside the hierarchy, when known; the directory is used in its place otherwise.
    public static func read(directory: String, path: String? = nil) -> CgroupMemory? {
        guard let version = version(ofDirectory: directory) else { return nil }
        let name = path ?? directory
        let memory = version == 1 ? readV1(directory: directory, path: name) : readV2(directory: directory, path: name)
        // Files that all failed because the cgroup was removed mid-read are a vanished cgroup.
        if memory.usageBytes == nil, memory.stat == nil, !KernelFile.isDirectory(directory) { return nil }
        return memory
    }

    /// 1 or 2 by the files in `directory`, or nil when it holds no memory accounting.
    ///
    /// `memory.pressure` alone does not count: v2 has it in every cgroup, with or without the
    /// memory controller.
    public static func version(ofDirectory directory: String) -> Int? {
        if KernelFile.exists(KernelFile.join(directory, "memory.usage_in_bytes")) { return 1 }
        if KernelFile.exists(KernelFile.join(directory, "memory.current")) || KernelFile.exists(KernelFile.join(directory, "memory.stat")) {
            return 2
        }
        return nil
    }

    static func readV2(directory: String, path: String) -> CgroupMemory {
        func file(_ name: String) -> String? { KernelFile.text(KernelFile.join(directory, name)) }
        var memory = CgroupMemory(version: 2, path: path)
        memory.usageBytes = KernelText.integerFile(file("memory.current"))
        memory.peakBytes = KernelText.integerFile(file("memory.peak"))
        memory.limitBytes = KernelText.limitFile(file("memory.max"))
        memory.highBytes = KernelText.limitFile(file("memory.high"))
        memory.swapUsageBytes = KernelText.integerFile(file("memory.swap.current"))
        memory.swapLimitBytes = KernelText.limitFile(file("memory.swap.max"))
        memory.events = file("memory.events").map(parseEvents)
        memory.oomKillCount = memory.events?.oomKill
        memory.stat = file("memory.stat").map(parseV2Stat)
        memory.pressure = file("memory.pressure").flatMap(PressureParser.parse)
        return memory
    }

    /// `memory.events`: `key count` lines in any order; keys this model has no field for
    /// (future ones) are ignored.
    public static func parseEvents(_ text: String) -> CgroupMemoryEvents {
        let values = KernelText.keyedValues(text)
        var events = CgroupMemoryEvents()
        events.low = values["low"].flatMap(KernelText.integer)
        events.high = values["high"].flatMap(KernelText.integer)
        events.max = values["max"].flatMap(KernelText.integer)
        events.oom = values["oom"].flatMap(KernelText.integer)
        events.oomKill = values["oom_kill"].flatMap(KernelText.integer)
        events.oomGroupKill = values["oom_group_kill"].flatMap(KernelText.integer)
        events.sockThrottled = values["sock_throttled"].flatMap(KernelText.integer)
        return events
    }

    /// v2 `memory.stat` (bytes, ~50 keys in any order): the keys that say what the memory is.
    public static func parseV2Stat(_ text: String) -> CgroupMemoryStat {
        let values = KernelText.keyedValues(text)
        var stat = CgroupMemoryStat()
        stat.anonBytes = values["anon"].flatMap(KernelText.integer)
        stat.fileBytes = values["file"].flatMap(KernelText.integer)
        // `kernel` appeared in 5.18; older kernels leave it nil rather than a partial sum.
        stat.kernelBytes = values["kernel"].flatMap(KernelText.integer)
        stat.sockBytes = values["sock"].flatMap(KernelText.integer)
        stat.shmemBytes = values["shmem"].flatMap(KernelText.integer)
        return stat
    }
}
