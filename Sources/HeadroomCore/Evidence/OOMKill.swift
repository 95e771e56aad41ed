/// One kernel OOM kill as its report in the kernel log tells it; sizes in bytes.
///
/// The report is read from one `X invoked oom-killer` header to the `Killed process` line.
/// Figures the kernel printed in kB are multiplied by 1024, task-table figures (pages) by the
/// page size (4096 unless the reader was told otherwise). A figure the report did not print is
/// nil, and the JSON still names it (`null`), so readers can rely on the keys.
public struct OOMKill: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// When the kill's first line was logged.
    public var time: Time
    /// The task whose allocation failed and so ran the OOM killer (often not the victim).
    public var trigger: Trigger?
    /// `memcg`: a cgroup hit its own limit; `global`: the machine ran out.
    public var constraint: Constraint
    /// The kernel's word for it (`CONSTRAINT_MEMCG`, `CONSTRAINT_NONE`, ...), when printed.
    public var constraintRaw: String?
    /// The memory cgroup whose limit was hit (`oom_memcg=`); nil for a global OOM.
    public var memcg: String?
    /// The victim's memory cgroup (`task_memcg=`).
    public var taskMemcg: String?
    /// From `memory: usage NkB, limit NkB, failcnt N` (memcg OOMs only).
    public var usageBytes: Int64?
    /// nil when the cgroup had no limit (the kernel prints about 8 EiB then).
    public var limitBytes: Int64?
    public var failCount: Int64?
    /// `memory+swap:` (cgroup v1) or `swap:` (v2) usage.
    public var swapUsageBytes: Int64?
    public var swapLimitBytes: Int64?
    /// Byte-valued fields of the `Memory cgroup stats for` block (`anon`, `file`, `rss`, `cache`, ...).
    public var memcgStats: [String: Int64]
    /// The machine's RAM (`N pages RAM`, printed in global reports).
    public var hostRAMBytes: Int64?
    /// The killed process; nil when the report broke off before its kill line.
    public var victim: Victim?
    /// The process chosen before 5.0 (`Kill process N (x) score N or sacrifice child`); the kernel
    /// then killed a child of it instead when one had its own memory.
    public var selected: Selection?
    /// What the OOM reaper left of the victim (`oom_reaper: reaped process`).
    public var reaped: Reaped?
    /// The cgroup whose `memory.oom.group` made the kernel kill all its tasks, and those tasks.
    public var oomGroup: String?
    public var groupKilled: [Victim]
    /// The text before `Killed process` (`Memory cgroup out of memory`, `Out of memory`).
    public var killMessage: String?
    /// The largest tasks of the report's task table, largest RSS first.
    public var tasks: [Task]
    /// Rows in the task table, kept or not.
    public var taskCount: Int
    /// Rows not kept in `tasks` (the table is bounded).
    public var omittedTaskCount: Int
    /// The task table's column names as the kernel printed them (they changed in 4.19 and 6.8).
    public var taskTableColumns: [String]
    /// PIDs in the task table the classification context knows as Bazel servers.
    public var serverPIDsInTaskTable: [Int]
    /// PIDs of `java` tasks in the task table (at most 16).
    public var javaPIDsInTaskTable: [Int]
    public var classification: Classification
    /// Which evidence the classification rests on.
    public var classificationReason: String
    /// The report's header (`invoked oom-killer`) was read.
    public var hasHeader: Bool
    /// The report's kill line (`Killed process`) was read.
    public var hasKillLine: Bool
    /// Both ends of the report were read; otherwise it broke off or began mid-way.
    public var isComplete: Bool
    /// What was missing or inferred, in words.
    public var notes: [String]
    /// The kill's first line.
    public var location: SourceLocation
    /// The kill's last line read.
    public var lastLine: Int

    public init(location: SourceLocation, time: Time) {
        self.location = location
        self.time = time
        constraint = .unknown
        memcgStats = [:]
        groupKilled = []
        tasks = []
        taskCount = 0
        omittedTaskCount = 0
        taskTableColumns = []
        serverPIDsInTaskTable = []
        javaPIDsInTaskTable = []
        classification = .other
        classificationReason = ""
        hasHeader = false
        hasKillLine = false
        isComplete = false
        notes = []
        lastLine = location.line
    }

    /// A log time: as printed, plus seconds since boot and since the epoch when the prefix gives them.
    public struct Time: Sendable, Codable, Equatable, ExplicitNullEncoding {
        /// The stamp as printed (`2357.667097`, `Sat Nov 21 20:41:12 2026`, `Nov 21 20:41:12`, RFC 3339).
        public var printed: String?
        /// The kernel's `[ 2357.667097]` stamp: seconds since boot.
        public var uptimeSeconds: Double?
        /// The wall clock of `dmesg -T`, syslog or journal prefixes, as seconds since the epoch.
        ///
        /// `dmesg -T` and syslog print local time without a zone and syslog no year; the reader's
        /// options supply the offset and a reference time to pick the year.
        public var epochSeconds: Double?
        /// `epochSeconds` as UTC ISO-8601.
        public var utc: String?

        public init(printed: String? = nil, uptimeSeconds: Double? = nil, epochSeconds: Double? = nil) {
            self.printed = printed
            self.uptimeSeconds = uptimeSeconds
            self.epochSeconds = epochSeconds
            utc = epochSeconds.map { ISOTime.format(epochSeconds: $0) }
        }
    }

    /// The task that ran the OOM killer: `NAME invoked oom-killer: gfp_mask=..., order=N, oom_score_adj=N`.
    public struct Trigger: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var name: String
        /// From the `CPU: N PID: N Comm: NAME` line of the stack dump.
        public var pid: Int?
        /// As printed, e.g. `0xcc0(GFP_KERNEL)`.
        public var gfpMask: String?
        /// Allocation order; -1 for an OOM forced from sysrq.
        public var order: Int?
        public var oomScoreAdj: Int?

        public init(name: String) { self.name = name }
    }

    /// A killed process, from `Killed process N (NAME) total-vm:NkB, anon-rss:NkB, ...`.
    public struct Victim: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var name: String
        public var pid: Int
        /// Printed by 5.x kernels and later (and by RHEL 6 in its own form).
        public var uid: Int?
        public var totalVmBytes: Int64?
        public var anonRssBytes: Int64?
        public var fileRssBytes: Int64?
        /// Not printed by kernels older than 4.5.
        public var shmemRssBytes: Int64?
        /// anon + file + shmem: what the kill freed, at most.
        public var rssBytes: Int64?
        /// Printed since 5.4.
        public var pageTablesBytes: Int64?
        public var oomScoreAdj: Int?

        public init(name: String, pid: Int) {
            self.name = name
            self.pid = pid
        }
    }

    /// The pre-5.0 choice line: `Kill process N (NAME) score N or sacrifice child`.
    public struct Selection: Sendable, Codable, Equatable {
        public var name: String
        public var pid: Int
        public var score: Int64?

        public init(name: String, pid: Int, score: Int64?) {
            self.name = name
            self.pid = pid
            self.score = score
        }
    }

    /// `oom_reaper: reaped process N (NAME), now anon-rss:NkB, file-rss:NkB, shmem-rss:NkB`.
    public struct Reaped: Sendable, Codable, Equatable {
        public var anonRssBytes: Int64
        public var fileRssBytes: Int64
        public var shmemRssBytes: Int64
        public var location: SourceLocation

        public init(anonRssBytes: Int64, fileRssBytes: Int64, shmemRssBytes: Int64, location: SourceLocation) {
            self.anonRssBytes = anonRssBytes
            self.fileRssBytes = fileRssBytes
            self.shmemRssBytes = shmemRssBytes
            self.location = location
        }
    }

    /// One row of the report's task table (`Tasks state (memory values in pages):`), in bytes.
    public struct Task: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var pid: Int
        public var uid: Int?
        public var tgid: Int?
        public var totalVmBytes: Int64?
        public var rssBytes: Int64?
        /// `rss_anon`, `rss_file`, `rss_shmem`: 6.8+ only.
        public var anonRssBytes: Int64?
        public var fileRssBytes: Int64?
        public var shmemRssBytes: Int64?
        /// `pgtables_bytes` (4.15+) or `nr_ptes` + `nr_pmds` pages (older).
        public var pageTablesBytes: Int64?
        public var swapBytes: Int64?
        public var oomScoreAdj: Int?
        public var name: String

        public init(pid: Int, name: String) {
            self.pid = pid
            self.name = name
        }
    }

    /// Why the kernel ran out: a cgroup's own limit, or the whole machine.
    public enum Constraint: String, Sendable, Codable, Equatable {
        /// `CONSTRAINT_MEMCG`: the cgroup hit its limit, so the limit or the concurrency inside it is wrong.
        case memcg
        /// `CONSTRAINT_NONE` (`global_oom`): the machine was overcommitted; not the victim's own fault.
        case global
        /// `CONSTRAINT_CPUSET` or `CONSTRAINT_MEMORY_POLICY`: allowed NUMA nodes ran out (see `constraintRaw`).
        case other
        /// The report broke off before saying.
        case unknown
    }

    /// Whose process the kernel killed, as far as the evidence goes (see `OOMClassifier`).
    public enum Classification: String, Sendable, Codable, Equatable {
        case bazelServer = "bazel-server"
        case testOrAction = "test-or-action"
        case other
    }
}
