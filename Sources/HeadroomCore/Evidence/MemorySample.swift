/// Memory figures of one process, from `/proc/PID/status` (bytes).
///
/// Sample records leave out unknown figures rather than writing null: a sample log is a long
/// stream, and its reader treats a missing field as unknown.
public struct ProcessMemory: Sendable, Codable, Equatable {
    public var pid: Int
    public var name: String
    /// `VmRSS`: resident now (`RssAnon` + `RssFile` + `RssShmem`).
    public var rssBytes: Int64
    /// `VmHWM`: the highest resident size so far.
    public var peakRSSBytes: Int64?
    public var anonBytes: Int64?
    public var fileBytes: Int64?
    public var shmemBytes: Int64?

    public init(pid: Int, name: String, rssBytes: Int64) {
        self.pid = pid
        self.name = name
        self.rssBytes = rssBytes
    }
}

/// A process and its descendants at one moment, summed, with the largest of them named.
public struct ProcessTreeMemory: Sendable, Codable, Equatable {
    public var rootPID: Int
    public var processCount: Int
    public var rssBytes: Int64
    /// The split of `rssBytes`; nil where the source does not give it (pidstat, two-column files).
    /// Shared memory is known for the processes read in detail (`largest`); others' is in `fileBytes`.
    public var anonBytes: Int64?
    public var fileBytes: Int64?
    public var shmemBytes: Int64?
    /// `VmHWM` of the root process.
    public var rootPeakRSSBytes: Int64?
    /// The processes with the largest RSS, largest first (at most five).
    public var largest: [ProcessMemory]

    public init(
        rootPID: Int, processCount: Int, rssBytes: Int64, anonBytes: Int64?, fileBytes: Int64?, shmemBytes: Int64?,
        rootPeakRSSBytes: Int64?, largest: [ProcessMemory]
    ) {
        self.rootPID = rootPID
        self.processCount = processCount
        self.rssBytes = rssBytes
        self.anonBytes = anonBytes
        self.fileBytes = fileBytes
        self.shmemBytes = shmemBytes
        self.rootPeakRSSBytes = rootPeakRSSBytes
        self.largest = largest
    }
}

/// One line of a pressure-stall (PSI) file: `some avg10=0.12 avg60=0.05 avg300=0.01 total=12345`.
public struct PressureStall: Sendable, Codable, Equatable {
    public var avg10: Double
    public var avg60: Double
    public var avg300: Double
    /// Stalled time since boot (or since the cgroup was made), in microseconds.
    public var totalMicroseconds: Int64

    public init(avg10: Double, avg60: Double, avg300: Double, totalMicroseconds: Int64) {
        self.avg10 = avg10
        self.avg60 = avg60
        self.avg300 = avg300
        self.totalMicroseconds = totalMicroseconds
    }
}

/// Memory pressure stall information: some tasks stalled, or all of them (`full`).
public struct MemoryPressure: Sendable, Codable, Equatable {
    public var some: PressureStall?
    public var full: PressureStall?

    public init(some: PressureStall?, full: PressureStall?) {
        self.some = some
        self.full = full
    }
}

/// `memory.events` (cgroup v2) counters.
public struct CgroupMemoryEvents: Sendable, Codable, Equatable {
    public var low: Int64?
    public var high: Int64?
    public var max: Int64?
    public var oom: Int64?
    public var oomKill: Int64?
    public var oomGroupKill: Int64?
    public var sockThrottled: Int64?

    public init() {}
}

/// The parts of `memory.stat` that tell what the memory is (bytes).
public struct CgroupMemoryStat: Sendable, Codable, Equatable {
    public var anonBytes: Int64?
    public var fileBytes: Int64?
    public var kernelBytes: Int64?
    public var sockBytes: Int64?
    public var shmemBytes: Int64?

    public init() {}
}

/// A memory cgroup's accounting at one moment, v1 or v2 in one shape. Absent files are nil.
public struct CgroupMemory: Sendable, Codable, Equatable {
    /// 1 (the v1 memory controller) or 2 (the unified hierarchy).
    public var version: Int
    /// The cgroup's path inside its hierarchy, as `/proc/PID/cgroup` prints it.
    public var path: String
    /// v2 `memory.current`, v1 `memory.usage_in_bytes`.
    public var usageBytes: Int64?
    /// v2 `memory.peak` (5.19+), v1 `memory.max_usage_in_bytes`.
    public var peakBytes: Int64?
    /// v2 `memory.max`, v1 `memory.limit_in_bytes`; nil when unlimited.
    public var limitBytes: Int64?
    /// v2 `memory.high`; nil when unlimited or v1.
    public var highBytes: Int64?
    public var swapUsageBytes: Int64?
    /// nil when unlimited.
    public var swapLimitBytes: Int64?
    public var events: CgroupMemoryEvents?
    /// v1 `memory.failcnt`.
    public var failCount: Int64?
    /// v1 `memory.oom_control` `under_oom`.
    public var underOOM: Bool?
    /// v1 `memory.oom_control` `oom_kill`, v2 `memory.events` `oom_kill`.
    public var oomKillCount: Int64?
    public var stat: CgroupMemoryStat?
    /// v2 `memory.pressure`.
    public var pressure: MemoryPressure?

    public init(version: Int, path: String) {
        self.version = version
        self.path = path
    }
}

/// The machine's memory, from `/proc/meminfo` and `/proc/pressure/memory` (bytes).
public struct HostMemory: Sendable, Codable, Equatable {
    public var totalBytes: Int64?
    public var availableBytes: Int64?
    public var swapTotalBytes: Int64?
    public var swapFreeBytes: Int64?
    public var pressure: MemoryPressure?

    public init() {}
}

/// Everything measured at one moment: the process tree, its cgroup and the host.
public struct MemorySample: Sendable, Codable, Equatable {
    /// Seconds since the Unix epoch.
    public var time: Double
    public var processes: ProcessTreeMemory?
    public var cgroup: CgroupMemory?
    public var host: HostMemory?

    public init(time: Double) {
        self.time = time
    }
}
