import HeadroomCore

/// Decides whose process an OOM kill took: the Bazel server's, a test's or action's, or another's.
///
/// Rules, first match wins:
/// 1. **bazel-server**: the victim's PID is a known server PID; or the victim is a `java` task
///    whose command line (read before the kill) holds a server marker (`A-server.jar`). The name
///    `java` alone is never enough: tests, persistent workers and tools run JVMs too.
/// 2. **test-or-action**: the victim is not the server, but the server shares its memory scope:
///    - memcg kill: the task table (which then lists only the tasks of the cgroup that hit its
///      limit) holds a known server (rule 1), or
///    - a known server's cgroup (from the context) is the limited cgroup or lies under it, or the
///      victim's cgroup is the server's or lies under it, or
///    - memcg kill, weaker: the task table holds another `java` task and the victim is not
///      `java` itself; the reason says the JVM was assumed to be the server.
/// 3. **other**: everything else, including a `java` victim nothing identifies (it could be the
///    server or a test JVM: the evidence cannot tell), and global OOMs without cgroup facts (the
///    task table of a global OOM lists the whole machine, so it says nothing about scope).
///
/// The constraint is kept apart from this: `memcg` says the limit or the concurrency under it is
/// wrong; `global` says the machine was overcommitted and the victim was merely the largest
/// (Buildbarn reports the latter as an infrastructure failure, not the action's).
public enum OOMClassifier {
    public static func classify(_ kill: OOMKill, context: OOMClassificationContext) -> (OOMKill.Classification, reason: String) {
        guard let victim = kill.victim else {
            return (.other, "no kill line: the report broke off before naming a victim")
        }
        if let evidence = context.serverEvidence(pid: victim.pid, name: victim.name) {
            return (.bazelServer, evidence)
        }
        if kill.constraint == .memcg {
            if let server = kill.serverPIDsInTaskTable.first(where: { $0 != victim.pid }) {
                return (.testOrAction, "the cgroup that hit its limit (\(kill.memcg ?? "?")) also holds Bazel server pid \(server)")
            }
        }
        for server in context.serverCgroups where server.pid != victim.pid {
            if kill.constraint == .memcg, let memcg = kill.memcg, isSameOrBeneath(server.path, memcg) {
                return (.testOrAction, "Bazel server pid \(server.pid) runs in \(server.path), inside the cgroup that hit its limit (\(memcg))")
            }
            if let taskMemcg = kill.taskMemcg, isSameOrBeneath(taskMemcg, server.path) {
                return (.testOrAction, "the victim's cgroup \(taskMemcg) is inside Bazel server pid \(server.pid)'s cgroup \(server.path)")
            }
        }
        if kill.constraint == .memcg, victim.name != "java",
            let java = kill.javaPIDsInTaskTable.first(where: { $0 != victim.pid })
        {
            return (.testOrAction, "the cgroup that hit its limit (\(kill.memcg ?? "?")) also holds java pid \(java), taken for the Bazel server (give its pid to be sure)")
        }
        if victim.name == "java" {
            return (.other, "a java process nothing identifies as the Bazel server (give the server's pid to tell it from test or worker JVMs)")
        }
        if kill.constraint == .memcg {
            return (.other, "no Bazel server in the cgroup that hit its limit")
        }
        return (.other, "no Bazel server known to share the victim's cgroup")
    }

    /// Whether cgroup `path` is `ancestor` or lies beneath it (`/a/b` is beneath `/a`, `/ab` is not).
    ///
    /// The root cgroup is no scope: every process is beneath it, so it never counts as shared.
    package static func isSameOrBeneath(_ path: String, _ ancestor: String) -> Bool {
        if ancestor == "/" || ancestor.isEmpty { return false }
        if path == ancestor { return true }
        let prefix = ancestor.hasSuffix("/") ? ancestor : ancestor + "/"
        return path.hasPrefix(prefix)
    }
}
