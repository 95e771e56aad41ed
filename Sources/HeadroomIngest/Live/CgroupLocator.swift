import HeadroomCore

/// Finds the memory cgroup of a process, or of a path a user gives, from `/proc` and the mount table.
///
/// Mounts are read from `/proc/self/mountinfo` rather than assumed, since distributions and
/// containers mount the hierarchies in different places; `cgroupRoot/memory` and `cgroupRoot`
/// are the fallbacks when the mount table cannot be read.
public struct CgroupLocator: Sendable {
    public var procRoot: String
    public var cgroupRoot: String

    public init(procRoot: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup") {
        self.procRoot = procRoot
        self.cgroupRoot = cgroupRoot
    }

    /// A process's memory cgroup; nil when the process is gone or no memory accounting is found.
    ///
    /// A v1 `memory` line wins: a controller is bound to one hierarchy only, so when it is on
    /// v1 the unified hierarchy of a hybrid system has no memory figures for the process.
    public func locate(pid: Int) -> CgroupLocation? {
        guard pid > 0, let text = KernelFile.text(KernelFile.join(procRoot, "\(pid)/cgroup")) else { return nil }
        let membership = Self.memoryMembership(inProcCgroup: text)
        let table = mountTable()
        if let path = membership.v1,
            let directory = CgroupMountTable.directory(for: path, in: v1Mounts(table)),
            KernelFile.isDirectory(directory)
        {
            return CgroupLocation(version: 1, path: path, directory: directory)
        }
        if let path = membership.v2,
            let directory = CgroupMountTable.directory(for: path, in: unifiedMounts(table)),
            KernelFile.isDirectory(directory),
            unifiedHasMemoryController(table) || CgroupMemoryReader.version(ofDirectory: directory) == 2
        {
            return CgroupLocation(version: 2, path: path, directory: directory)
        }
        return nil
    }

    /// The cgroup a user named: a directory on disk holding `memory.*` files, or a path inside
    /// a hierarchy (`/system.slice/x.scope`), tried under the v1 memory mount and then the
    /// unified one. Nil when neither holds a memory cgroup of that name.
    public func directory(forPath given: String) -> CgroupLocation? {
        let table = mountTable()
        let cleaned = Self.normalized(given)
        if KernelFile.isDirectory(cleaned), let version = CgroupMemoryReader.version(ofDirectory: cleaned) {
            let mounts = version == 1 ? v1Mounts(table) : unifiedMounts(table)
            return CgroupLocation(version: version, path: Self.hierarchyPath(ofDirectory: cleaned, in: mounts) ?? cleaned, directory: cleaned)
        }
        let path = cleaned.hasPrefix("/") ? cleaned : "/" + cleaned
        if let directory = CgroupMountTable.directory(for: path, in: v1Mounts(table)),
            CgroupMemoryReader.version(ofDirectory: directory) == 1
        {
            return CgroupLocation(version: 1, path: path, directory: directory)
        }
        if let directory = CgroupMountTable.directory(for: path, in: unifiedMounts(table)),
            CgroupMemoryReader.version(ofDirectory: directory) == 2
        {
            return CgroupLocation(version: 2, path: path, directory: directory)
        }
        return nil
    }

    /// The cgroup mounts of this mount namespace.
    public func mountTable() -> CgroupMountTable {
        guard let text = KernelFile.text(KernelFile.join(procRoot, "self/mountinfo")) else { return CgroupMountTable() }
        return CgroupMountTable.parse(mountinfo: text)
    }

    /// The memory cgroup paths in the text of `/proc/PID/cgroup`: a v1 line whose controllers
    /// include `memory` (`4:memory:/a`, `6:cpu,memory:/a`) and the v2 line (`0::/a`).
    public static func memoryMembership(inProcCgroup text: String) -> (v1: String?, v2: String?) {
        var v1: String?
        var v2: String?
        for line in text.split(whereSeparator: \.isNewline) {
            // Two splits only: the path itself may contain colons.
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[2].isEmpty else { continue }
            if parts[0] == "0", parts[1].isEmpty {
                v2 = String(parts[2])
            } else if parts[1].split(separator: ",").contains("memory") {
                v1 = String(parts[2])
            }
        }
        return (v1, v2)
    }

    private func v1Mounts(_ table: CgroupMountTable) -> [CgroupMount] {
        if !table.v1Memory.isEmpty { return table.v1Memory }
        let fallback = KernelFile.join(cgroupRoot, "memory")
        return KernelFile.isDirectory(fallback) ? [CgroupMount(mountPoint: fallback, root: "/")] : []
    }

    private func unifiedMounts(_ table: CgroupMountTable) -> [CgroupMount] {
        if !table.unified.isEmpty { return table.unified }
        for candidate in [cgroupRoot, KernelFile.join(cgroupRoot, "unified")]
        where KernelFile.exists(KernelFile.join(candidate, "cgroup.controllers")) {
            return [CgroupMount(mountPoint: candidate, root: "/")]
        }
        return []
    }

    /// Whether the top of the unified hierarchy offers the memory controller.
    private func unifiedHasMemoryController(_ table: CgroupMountTable) -> Bool {
        let mounts = unifiedMounts(table)
        guard let top = mounts.first(where: { $0.root == "/" }) ?? mounts.first,
            let controllers = KernelFile.text(KernelFile.join(top.mountPoint, "cgroup.controllers"))
        else { return false }
        return controllers.split(whereSeparator: { $0 == " " || $0.isNewline }).contains("memory")
    }

    /// The hierarchy path of a directory under one of `mounts`.
    static func hierarchyPath(ofDirectory directory: String, in mounts: [CgroupMount]) -> String? {
        var best: (mount: CgroupMount, rest: String)?
        for mount in mounts {
            let point = normalized(mount.mountPoint)
            let rest: String
            if directory == point {
                rest = ""
            } else if directory.hasPrefix(point == "/" ? "/" : point + "/") {
                rest = String(directory.dropFirst(point == "/" ? 0 : point.count))
            } else {
                continue
            }
            if best == nil || point.count > best!.mount.mountPoint.count { best = (CgroupMount(mountPoint: point, root: mount.root), rest) }
        }
        guard let best else { return nil }
        if best.rest.isEmpty { return best.mount.root }
        return best.mount.root == "/" ? best.rest : best.mount.root + best.rest
    }

    /// Without trailing slashes (the root stays `/`).
    static func normalized(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
