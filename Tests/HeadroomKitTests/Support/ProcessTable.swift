import Foundation
import HeadroomKit

/// The processes running now, as a test looks for what a command left behind.
struct ProcessTable {
    /// One running process.
    struct Entry {
        var pid: Int
        var parentPID: Int
        var commandLine: [String]
        /// The current directory, when it can be read.
        var directory: String?
        var joinedCommandLine: String { commandLine.joined(separator: " ") }
    }

    let entries: [Entry]

    /// A snapshot of `/proc`, without zombies (they have exited and only wait to be reaped).
    static func now() -> ProcessTable {
        var entries: [Entry] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(name), let status = ProcStatusReader().read(pid: pid), !status.hasExited,
                let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { continue }
            let words = raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
            entries.append(Entry(pid: pid, parentPID: status.parentPID ?? 0, commandLine: words.last == "" ? words.dropLast() : words, directory: directory))
        }
        return ProcessTable(entries: entries)
    }

    func children(of pid: pid_t) -> [Entry] {
        entries.filter { $0.parentPID == Int(pid) }
    }

    /// Processes whose command line or current directory mentions `path`, except `excluded`.
    func using(_ path: String, except excluded: Set<Int> = []) -> [Entry] {
        entries.filter { entry in
            !excluded.contains(entry.pid) && entry.pid != Int(getpid())
                && (entry.joinedCommandLine.contains(path) || entry.directory?.hasPrefix(path) == true)
        }
    }

    /// Whether `pid` runs (a zombie does not).
    static func isRunning(_ pid: Int) -> Bool {
        ProcStatusReader().read(pid: pid).map { !$0.hasExited } ?? false
    }

    /// Polls until `condition` holds on a fresh table, for at most `seconds`; the last table's verdict.
    @discardableResult
    static func waitFor(seconds: Double, every interval: Double = 0.02, _ condition: (ProcessTable) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(now()) { return true }
            usleep(useconds_t(interval * 1_000_000))
        }
        return condition(now())
    }
}
