import HeadroomStore

/// The startup options `verify` replays from a recorded command without `--trust-bundle`: those
/// that size the server's memory, choose its collector, log its collections to the terminal, or
/// say which server and output folders to use — nothing that loads code into the server (`-javaagent`,
/// `-agentpath`, `-Xbootclasspath`, `-D` properties naming classes, `--server_javabase`), runs a
/// program on an event (`-XX:OnError`, `-XX:OnOutOfMemoryError`), reads more configuration
/// (`--bazelrc`) or writes files where the bundle says (`-Xlog:…:file=`, `-XX:HeapDumpPath`).
public enum StartupOptionAllowlist {
    /// Options taking a value (`--output_base=/x`).
    static let valued: Set<String> = ["output_base", "output_user_root", "max_idle_secs", "local_startup_timeout_secs", "io_nice_level"]
    /// Boolean options, also with `no` before the name.
    static let boolean: Set<String> = [
        "shutdown_on_low_sys_mem", "batch", "block_for_lock", "home_rc", "workspace_rc", "system_rc", "ignore_all_rc_files",
        "idle_server_tasks", "watchfs", "client_debug", "preemptible", "write_command_log",
    ]

    /// Whether `option` (one word, as recorded) may be replayed.
    public static func allows(_ option: String) -> Bool {
        guard ReplayWords.isPrintable(option), option.hasPrefix("--") else { return false }
        let body = option.dropFirst(2)
        if let equals = body.firstIndex(of: "=") {
            let name = String(body[..<equals])
            let value = String(body[body.index(after: equals)...])
            if name == "host_jvm_args" { return allowsJVMArgument(value) }
            return valued.contains(name) && !value.isEmpty
        }
        let name = String(body)
        return boolean.contains(name) || (name.hasPrefix("no") && boolean.contains(String(name.dropFirst(2))))
    }

    /// A JVM option of `--host_jvm_args=` that only sizes memory, picks or tunes a collector, or
    /// logs collections to standard output.
    static func allowsJVMArgument(_ argument: String) -> Bool {
        let size = "[0-9]+[kKmMgGtT]?"
        let patterns = [
            "-X(mx|ms|ss|mn)\(size)",
            "-XX:[+-]Use(G1|Parallel|Serial|Shenandoah|Z)GC",
            "-XX:[+-](ZGenerational|UseStringDeduplication|AlwaysPreTouch|UseCompressedOops|ExitOnOutOfMemoryError|ShenandoahUncommit|UseAdaptiveSizePolicy|PrintGC|PrintGCDetails|PrintGCDateStamps|PrintGCTimeStamps)",
            "-XX:(MaxRAMPercentage|InitialRAMPercentage|MinRAMPercentage)=[0-9]+(\\.[0-9]+)?",
            "-XX:(MaxGCPauseMillis|ParallelGCThreads|ConcGCThreads|G1PeriodicGCInterval|MinHeapFreeRatio|MaxHeapFreeRatio|G1ReservePercent|InitiatingHeapOccupancyPercent|GCTimeRatio)=[0-9]+",
            "-XX:(G1HeapRegionSize|SoftMaxHeapSize|MaxMetaspaceSize|MetaspaceSize|ReservedCodeCacheSize|MaxDirectMemorySize|MaxNewSize|NewSize)=\(size)",
            "-XX:ShenandoahGCHeuristics=[a-z]+",
            "-verbose:gc",
            // Unified logging of collections to the terminal only: `file=` would write where the bundle says.
            "-Xlog:gc[a-z0-9*+=,_]*(:(stdout|stderr)?(:[a-z,]*)?)?",
        ]
        return patterns.contains { argument.wholeMatch(of: try! Regex($0)) != nil }
    }
}
