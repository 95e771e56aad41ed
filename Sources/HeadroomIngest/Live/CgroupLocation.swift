import HeadroomCore

/// Where a memory cgroup is: its hierarchy version, its path inside the hierarchy, its directory.
public struct CgroupLocation: Sendable, Equatable, Hashable, Codable {
    /// 1 (the v1 memory controller's hierarchy) or 2 (the unified hierarchy).
    public var version: Int
    /// The path inside the hierarchy, as `/proc/PID/cgroup` prints it (`/system.slice/x.scope`).
    public var path: String
    /// The directory holding its `memory.*` files.
    public var directory: String

    public init(version: Int, path: String, directory: String) {
        self.version = version
        self.path = path
        self.directory = directory
    }
}
