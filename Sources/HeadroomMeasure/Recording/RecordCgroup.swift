#if canImport(Glibc)
import Glibc
#endif
import HeadroomStore

/// The memory cgroup a recorded command runs in, chosen before the client starts.
///
/// A cgroup's figures are the command's only when nothing else is charged to it. So `record`
/// makes a fresh memory cgroup without a limit (root, cgroup v1 or v2, or systemd-run) and starts
/// the client through `__exec-in-cgroup`, so that the server the client starts is born inside.
/// Where it cannot (not root, no memory controller, `--no-own-cgroup`, `--keep-server`), the
/// cgroup `record` runs in still counts as the command's own when it holds no other process —
/// `systemd-run --scope headroom record …`; else it is shared, and the tests' memory comes from
/// the server's process tree.
package struct RecordCgroup {
    /// What record.json says about the cgroup; `own` is settled once the server is known.
    var facts: CommandCgroupFacts
    /// The words put before every command that may start the server.
    var launcher: [String]
    /// The measured scope, when it is not the recorder's own cgroup.
    var scope: String?
    /// The cgroup record made, released (not killed: the server outlives the command) at the end.
    var made: FreshMemoryCgroup?
    /// Where `record` itself runs, to hand the server back to.
    var home: CgroupLocation?

    /// Makes or finds the cgroup for `settings`; `say` hears what was chosen.
    static func choose(_ settings: BazelRecorder.Settings, locator: CgroupLocator = CgroupLocator(), say: (String) -> Void) -> RecordCgroup {
        let home = locator.locate(pid: Int(getpid()))
        if !settings.launcher.isEmpty {
            let facts = CommandCgroupFacts(
                ownership: .verify, path: settings.scopeCgroup, version: home?.version, own: true, reason: "made by verify for this command, with the plan's limits")
            return RecordCgroup(facts: facts, launcher: settings.launcher, scope: settings.scopeCgroup, home: home)
        }
        var why: [String] = []
        if !settings.ownCgroup {
            why.append("--no-own-cgroup")
        } else if settings.keepServer {
            why.append("--keep-server: the running server stays in the cgroup it was started in")
        } else if let helper = settings.helper {
            let name = "headroom-record-\(getpid())-\(UInt32.random(in: 0...UInt32.max) & 0xffffff)"
            do {
                let cgroup = try FreshMemoryCgroup.make(limits: nil, name: name)
                let location = cgroup.location
                let facts = CommandCgroupFacts(
                    ownership: .made, path: location.path, version: location.version, own: true,
                    reason: "a fresh memory cgroup without a limit, made by record; the client started inside it, and the server it started with it")
                say("the command runs in a fresh memory cgroup of its own, without a limit: \(location.path) (--no-own-cgroup runs it where record runs)")
                return RecordCgroup(facts: facts, launcher: cgroup.launcher(helper: helper), scope: location.path, made: cgroup, home: home)
            } catch {
                why.append("no memory cgroup of its own could be made (\(error.reason))")
            }
        }
        guard let home else {
            return RecordCgroup(facts: CommandCgroupFacts(ownership: .shared, path: nil, version: nil, own: false, reason: (why + ["record's memory cgroup is unknown"]).joined(separator: "; ")), launcher: [])
        }
        let others = (KernelFile.text(home.directory + "/cgroup.procs") ?? "").split(whereSeparator: \.isNewline).compactMap { Int($0) }.filter { $0 != Int(getpid()) }
        if KernelFile.exists(home.directory + "/cgroup.procs"), others.isEmpty {
            // The peak so far is record's own start; v1 lets root set it back to the usage now.
            if home.version == 1 { Self.write("0", to: home.directory + "/memory.max_usage_in_bytes") }
            let facts = CommandCgroupFacts(
                ownership: .alone, path: home.path, version: home.version, own: true,
                reason: (why + ["the cgroup record was started in held no other process"]).joined(separator: "; "))
            return RecordCgroup(facts: facts, launcher: [], home: home)
        }
        let facts = CommandCgroupFacts(
            ownership: .shared, path: home.path, version: home.version, own: false,
            reason: (why + ["the cgroup record runs in holds \(others.count) other process\(others.count == 1 ? "" : "es"): its figures are not the command's; tests are measured from the server's process tree"]).joined(separator: "; "))
        say("the cgroup \(home.path) is shared with \(others.count) other process\(others.count == 1 ? "" : "es"): tests are measured from the server's process tree")
        return RecordCgroup(facts: facts, launcher: [], home: home)
    }

    /// The kernel's figures for the cgroup after the command: peak, kills, anonymous and file memory.
    mutating func readBack(serverCgroup: String?) {
        if let server = serverCgroup, let path = facts.path, server != path, !server.hasPrefix(path == "/" ? "/" : path + "/") {
            facts.own = false
            facts.reason += "; but the server ran outside it (\(server)): it was started before, bazel shutdown first"
        }
        let directory = made?.location.directory ?? (facts.ownership == .alone ? home?.directory : nil)
            ?? facts.path.flatMap { CgroupLocator().directory(forPath: $0)?.directory }
        guard let directory, let memory = CgroupMemoryReader.read(directory: directory, path: facts.path) else { return }
        facts.peakBytes = memory.peakBytes
        facts.oomKills = memory.events?.oomKill ?? memory.oomKillCount
        facts.failCount = memory.events?.max ?? memory.failCount
        facts.anonBytes = memory.stat?.anonBytes
        facts.fileBytes = memory.stat?.fileBytes
    }

    /// Hands what is left in the cgroup record made (the server) back to record's own cgroup, and removes it.
    func release() {
        guard let made else { return }
        if let home { made.release(to: home.directory) } else { made.remove() }
    }

    private static func write(_ text: String, to path: String) {
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { return }
        _ = text.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }
}
