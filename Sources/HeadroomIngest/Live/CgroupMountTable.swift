import HeadroomCore

/// One mount of a cgroup hierarchy: where it is mounted and which part of the hierarchy it shows.
public struct CgroupMount: Sendable, Equatable, Hashable {
    /// The directory it is mounted on.
    public var mountPoint: String
    /// The path inside the hierarchy that the mount point shows (`/` for the whole hierarchy).
    public var root: String

    public init(mountPoint: String, root: String) {
        self.mountPoint = mountPoint
        self.root = root
    }
}

/// The cgroup mounts that can hold memory accounting, from `/proc/self/mountinfo`.
public struct CgroupMountTable: Sendable, Equatable {
    /// Mounts of the v1 hierarchy that has the `memory` controller (alone or with others).
    public var v1Memory: [CgroupMount] = []
    /// Mounts of the unified (v2) hierarchy.
    public var unified: [CgroupMount] = []

    public init(v1Memory: [CgroupMount] = [], unified: [CgroupMount] = []) {
        self.v1Memory = v1Memory
        self.unified = unified
    }

    /// Parses mountinfo: `id parent major:minor root mountpoint options [optional…] - fstype source superoptions`.
    public static func parse(mountinfo text: String) -> CgroupMountTable {
        var table = CgroupMountTable()
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            // The optional fields vary in number; the separator `-` ends them.
            guard fields.count > 7, let dash = fields[6...].firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let fileSystem = fields[dash + 1]
            let mount = CgroupMount(mountPoint: unescape(fields[4]), root: unescape(fields[3]))
            if fileSystem == "cgroup2" {
                table.unified.append(mount)
            } else if fileSystem == "cgroup", dash + 3 < fields.count {
                let options = fields[dash + 3].split(separator: ",")
                if options.contains("memory") { table.v1Memory.append(mount) }
            }
        }
        return table
    }

    /// The mount through which `path` (a path inside the hierarchy) is reached, and its directory.
    ///
    /// The mount whose root holds the path wins (the longest such root); failing that, a mount
    /// of the whole hierarchy; failing that, the first, joined with the path as it is: inside a
    /// cgroup namespace `/proc/PID/cgroup` prints paths relative to the namespace's root, which
    /// is what the namespace's own mount shows.
    public static func directory(for path: String, in mounts: [CgroupMount]) -> String? {
        var best: (mount: CgroupMount, rest: String)?
        for mount in mounts {
            guard let rest = relative(path, to: mount.root) else { continue }
            if best == nil || mount.root.count > best!.mount.root.count { best = (mount, rest) }
        }
        if let best { return KernelFile.join(best.mount.mountPoint, best.rest) }
        guard let first = mounts.first(where: { $0.root == "/" }) ?? mounts.first else { return nil }
        return KernelFile.join(first.mountPoint, path)
    }

    /// `path` below `root` (`/a/b` below `/a` is `/b`), or nil when it is not below it.
    static func relative(_ path: String, to root: String) -> String? {
        if root == "/" { return path }
        if path == root { return "/" }
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count))
    }

    /// Undoes mountinfo's octal escapes (`\040` for a space, `\011`, `\012`, `\134`).
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let source = Array(field.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + 3 < source.count,
                source[(index + 1)...(index + 3)].allSatisfy({ $0 >= 48 && $0 <= 55 })
            {
                let value = (Int(source[index + 1]) - 48) * 64 + (Int(source[index + 2]) - 48) * 8 + (Int(source[index + 3]) - 48)
                if value < 256 {
                    bytes.append(UInt8(value))
                    index += 4
                    continue
                }
            }
            bytes.append(source[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
