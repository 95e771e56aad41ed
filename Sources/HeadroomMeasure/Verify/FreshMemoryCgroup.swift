import Foundation

#if canImport(Glibc)
import Glibc
#endif
import HeadroomStore

/// A memory cgroup made for one run, with the plan's limits (or none: `record` measures a command
/// in a cgroup of its own), removed afterwards.
///
/// Made directly in the cgroup filesystem (as a child of this process's memory cgroup, or of the
/// root when that cannot be written): v1 `memory.limit_in_bytes` and, when the kernel accounts
/// swap, `memory.memsw.limit_in_bytes` at the same value; v2 `memory.max`, `memory.high` and
/// `memory.swap.max`. When systemd is PID 1 and manages the cgroups, systemd makes it instead: a
/// transient scope from `systemd-run --scope -p MemoryMax=… -p MemoryHigh=… -p MemorySwapMax=0`
/// holding a placeholder process, which the commands then join. Either way a command enters the
/// cgroup before it execs (`execInside`), so everything it starts — the Bazel server, its
/// tests — is born inside and charged to it.
public final class FreshMemoryCgroup: @unchecked Sendable {
    /// How the cgroup was made.
    public typealias Manager = MemoryCgroupManager

    /// Why no cgroup could be made.
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// What the kernel counted in the cgroup.
    public typealias Readback = MemoryCgroupReadback

    public let location: CgroupLocation
    public let manager: Manager
    /// Nil: no limit, the cgroup only keeps the command's figures apart.
    public let limits: CgroupLimits?
    /// The limits as the kernel took them, in words (`memory.limit_in_bytes=…`); what had no effect.
    public private(set) var applied: [String] = []
    public private(set) var notApplied: [String] = []
    /// systemd mode: the placeholder process holding the scope.
    private var holderPID: pid_t?
    private var removed = false

    private init(location: CgroupLocation, manager: Manager, limits: CgroupLimits?) {
        self.location = location
        self.manager = manager
        self.limits = limits
    }

    /// Whether systemd is PID 1 and manages the cgroups (as `sd_booted()` decides).
    public static var systemdManagesCgroups: Bool {
        KernelFile.isDirectory("/run/systemd/system")
    }

    /// Makes a fresh cgroup named `name` (a unique one when nil) with `limits` (nil: no limit).
    public static func make(
        limits: CgroupLimits?, name: String? = nil, useSystemd: Bool = FreshMemoryCgroup.systemdManagesCgroups,
        locator: CgroupLocator = CgroupLocator()
    ) throws(Failure) -> FreshMemoryCgroup {
        let name = name ?? "headroom-verify-\(getpid())-\(UInt32.random(in: 0...UInt32.max) & 0xffffff)"
        if useSystemd, let systemdRun = executable("systemd-run") {
            return try makeWithSystemd(systemdRun, limits: limits, name: name, locator: locator)
        }
        guard geteuid() == 0 else {
            throw Failure(reason: "making a memory cgroup needs root (or systemd as PID 1 with systemd-run); run as root")
        }
        let table = locator.mountTable()
        let own = locator.locate(pid: Int(getpid()))
        // The v1 memory hierarchy when the memory controller is there; else the unified one.
        var candidates: [(version: Int, directory: String, path: String)] = []
        if let own {
            candidates.append((own.version, own.directory + "/" + name, (own.path == "/" ? "" : own.path) + "/" + name))
        }
        if let v1 = table.v1Memory.first(where: { $0.root == "/" }) ?? table.v1Memory.first {
            candidates.append((1, v1.mountPoint + "/" + name, "/" + name))
        } else if let v2 = table.unified.first(where: { $0.root == "/" }) ?? table.unified.first,
            (KernelFile.text(v2.mountPoint + "/cgroup.subtree_control") ?? "").contains("memory")
        {
            candidates.append((2, v2.mountPoint + "/" + name, "/" + name))
        }
        var reasons: [String] = []
        for candidate in candidates {
            guard mkdir(candidate.directory, 0o755) == 0 else {
                reasons.append("\(candidate.directory): \(String(cString: strerror(errno)))")
                continue
            }
            let cgroup = FreshMemoryCgroup(
                location: CgroupLocation(version: candidate.version, path: candidate.path, directory: candidate.directory), manager: .direct, limits: limits)
            // v2: a child of a cgroup without memory in its subtree_control has no memory files.
            guard KernelFile.exists(candidate.directory + (candidate.version == 1 ? "/memory.limit_in_bytes" : "/memory.max")) else {
                rmdir(candidate.directory)
                reasons.append("\(candidate.directory): no memory controller there")
                continue
            }
            do {
                try cgroup.applyLimits()
            } catch {
                cgroup.remove()
                throw error
            }
            return cgroup
        }
        throw Failure(reason: "no memory cgroup could be made: " + (reasons.isEmpty ? "no memory controller is mounted" : reasons.joined(separator: "; ")))
    }

    private func applyLimits() throws(Failure) {
        guard let limits else { return }
        let maximum = "\(limits.memoryMaxBytes)"
        if location.version == 1 {
            // memsw must stay ≥ the memory limit, so the order depends on the direction.
            try write(maximum, to: "memory.limit_in_bytes")
            applied.append("memory.limit_in_bytes=\(maximum)")
            if KernelFile.exists(location.directory + "/memory.memsw.limit_in_bytes") {
                try write(maximum, to: "memory.memsw.limit_in_bytes")
                applied.append("memory.memsw.limit_in_bytes=\(maximum) (no swap)")
            } else {
                notApplied.append("MemorySwapMax=0: this kernel does not account swap (no memory.memsw.limit_in_bytes)")
            }
            if let high = limits.memoryHighBytes {
                notApplied.append("MemoryHigh=\(ByteSize.systemdArgument(high)): cgroup v1 has no memory.high")
            }
        } else {
            try write(maximum, to: "memory.max")
            applied.append("memory.max=\(maximum)")
            if let high = limits.memoryHighBytes {
                try write("\(high)", to: "memory.high")
                applied.append("memory.high=\(high)")
            }
            if KernelFile.exists(location.directory + "/memory.swap.max") {
                try write("\(limits.memorySwapMaxBytes ?? 0)", to: "memory.swap.max")
                applied.append("memory.swap.max=\(limits.memorySwapMaxBytes ?? 0)")
            } else {
                notApplied.append("MemorySwapMax: no memory.swap.max (swap accounting off)")
            }
        }
    }

    private static func makeWithSystemd(_ systemdRun: String, limits: CgroupLimits?, name: String, locator: CgroupLocator) throws(Failure) -> FreshMemoryCgroup {
        // The scope lives as long as a process is inside it: a placeholder holds it open while
        // the commands join and leave.
        let properties = limits?.systemdProperties ?? ["MemoryAccounting=yes"]
        let words = [systemdRun, "--scope", "--quiet", "--unit=\(name)"] + properties.flatMap { ["-p", $0] } + ["--", "/bin/sleep", "infinity"]
        var pid: pid_t = 0
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, systemdRun, nil, nil, argv, environ)
        guard spawned == 0 else { throw Failure(reason: "systemd-run: \(String(cString: strerror(spawned)))") }
        // systemd-run execs the placeholder once the scope exists.
        for _ in 0..<100 {
            if let location = locator.locate(pid: Int(pid)), location.path.hasSuffix("/\(name).scope") {
                let cgroup = FreshMemoryCgroup(location: location, manager: .systemd, limits: limits)
                cgroup.holderPID = pid
                cgroup.applied = properties
                if location.version == 1, limits != nil {
                    cgroup.notApplied = ["MemoryHigh, MemorySwapMax: no effect on cgroup v1 (systemd maps MemoryMax to MemoryLimit)"]
                }
                return cgroup
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw Failure(reason: "systemd-run --scope failed (exit status \((status >> 8) & 0xff)); run as root or without systemd")
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        throw Failure(reason: "systemd-run --scope did not put its process in \(name).scope")
    }

    /// The words that run a command inside this cgroup: `helper __exec-in-cgroup DIR --` before it.
    public func launcher(helper: String) -> [String] {
        [helper, "__exec-in-cgroup", location.directory, "--"]
    }

    /// What the kernel counted so far.
    public func readBack() -> Readback {
        let directory = location.directory
        func number(_ file: String) -> Int64? {
            KernelFile.text(directory + "/" + file).flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        func keyed(_ file: String, _ key: String) -> Int? {
            guard let text = KernelFile.text(directory + "/" + file) else { return nil }
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: " ")
                if parts.count == 2, parts[0] == key { return Int(parts[1]) }
            }
            return nil
        }
        if location.version == 1 {
            return Readback(
                oomKills: keyed("memory.oom_control", "oom_kill"), peakBytes: number("memory.max_usage_in_bytes"),
                failCount: number("memory.failcnt").map { Int($0) })
        }
        return Readback(oomKills: keyed("memory.events", "oom_kill"), peakBytes: number("memory.peak"), failCount: keyed("memory.events", "max"))
    }

    /// Moves what is still inside (a Bazel server that outlives its command) to the cgroup at
    /// `directory`, where it would have run without this one, then removes this cgroup. The
    /// memory it has charged stays counted here until the cgroup goes, then moves to the parent.
    public func release(to directory: String) {
        guard !removed, manager == .direct else { return remove() }
        for _ in 0..<5 {
            let procs = KernelFile.text(location.directory + "/cgroup.procs") ?? ""
            let pids = procs.split(whereSeparator: \.isNewline)
            if pids.isEmpty { break }
            for pid in pids {
                let descriptor = open(directory + "/cgroup.procs", O_WRONLY)
                guard descriptor >= 0 else { break }
                _ = pid.withCString { Glibc.write(descriptor, $0, strlen($0)) }
                close(descriptor)
            }
        }
        remove()
    }

    /// Kills what is still inside and removes the cgroup (systemd removes its scope once empty).
    public func remove() {
        guard !removed else { return }
        removed = true
        if let holderPID {
            kill(holderPID, SIGKILL)
            var status: Int32 = 0
            waitpid(holderPID, &status, 0)
        }
        for _ in 0..<100 {
            let procs = KernelFile.text(location.directory + "/cgroup.procs") ?? ""
            for pid in procs.split(whereSeparator: \.isNewline).compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            if manager == .systemd {
                if !KernelFile.isDirectory(location.directory) { return }
            } else if rmdir(location.directory) == 0 || errno == ENOENT {
                return
            }
            usleep(100_000)
        }
    }

    deinit { remove() }

    private func write(_ text: String, to file: String) throws(Failure) {
        let path = location.directory + "/" + file
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { throw Failure(reason: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = text.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        guard written >= 0 else { throw Failure(reason: "\(path): writing \(text): \(String(cString: strerror(errno)))") }
    }

    /// Joins the cgroup at `directory` (writes this process's PID to `cgroup.procs`) and execs
    /// `words` (searched on PATH). Returns only on failure, with the reason.
    public static func execInside(directory: String, words: [String]) -> String {
        guard let program = words.first else { return "no command given" }
        let procs = directory + "/cgroup.procs"
        let descriptor = open(procs, O_WRONLY)
        guard descriptor >= 0 else { return "\(procs): \(String(cString: strerror(errno)))" }
        let pid = "\(getpid())"
        let written = pid.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        let writeError = errno
        close(descriptor)
        guard written >= 0 else { return "\(procs): \(String(cString: strerror(writeError)))" }
        let argv = words.map { strdup($0) } + [nil]
        execvp(program, argv)
        return "\(program): \(String(cString: strerror(errno)))"
    }

    /// The first executable named `name` on PATH.
    static func executable(_ name: String) -> String? {
        ExecutableSearch.find(name)
    }
}
