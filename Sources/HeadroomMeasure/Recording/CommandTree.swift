#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomStore

/// The processes one command started, so that a stopped command leaves none behind: its process
/// group, and the descendants of its first process that stayed in its session (a child that
/// moved to a process group of its own still counts).
///
/// A daemon that left the session — Bazel's server calls `setsid` — is not part of the tree: it
/// is meant to outlive the command. Members are remembered with their start time, so that when
/// they are killed after their parent has gone (they are then children of init), a process that
/// has since been given the same number is left alone.
package struct CommandTree {
    let leader: Int
    let procRoot: String
    private(set) var members: [Int: UInt64] = [:]
    /// The leader's session, from the first refresh.
    private var session: Int?

    init(leader: Int, procRoot: String = "/proc") {
        self.leader = leader
        self.procRoot = procRoot
    }

    /// Adds the leader's current descendants in its session; call while the leader lives.
    mutating func refresh() {
        guard let root = ProcStat.read(pid: leader, procRoot: procRoot) else { return }
        session = root.session
        var children: [Int: [(pid: Int, start: UInt64)]] = [:]
        for name in KernelFile.entries(procRoot) ?? [] {
            guard let pid = Int(name), pid != leader, let stat = ProcStat.read(pid: pid, procRoot: procRoot), stat.session == root.session else { continue }
            children[stat.parentPID, default: []].append((pid, stat.startTime))
        }
        var queue = [leader]
        var seen: Set<Int> = [leader]
        while let parent = queue.popLast() {
            for child in children[parent] ?? [] where seen.insert(child.pid).inserted {
                members[child.pid] = child.start
                queue.append(child.pid)
            }
        }
    }

    /// SIGKILL to the process group and to every remembered member that is still the same
    /// process and still in the session (a daemon caught between its fork and its `setsid` is not).
    func killAll() {
        kill(pid_t(-leader), SIGKILL)
        for (pid, start) in members {
            guard let stat = ProcStat.read(pid: pid, procRoot: procRoot), stat.startTime == start, stat.session == session else { continue }
            kill(pid_t(pid), SIGKILL)
        }
    }
}
