import HeadroomStore

/// What `headroom sample` watches: a process tree, a workspace's Bazel server, or a cgroup alone.
public enum SampleTarget: Sendable {
    case process(pid: Int)
    /// Re-read on every sample, so a restarted server is followed to its new PID.
    case bazelServer(BazelServerLocator)
    case cgroupOnly

    var summary: String {
        switch self {
        case .process(let pid): "process \(pid)"
        case .bazelServer(let locator): "Bazel server of output base \(locator.outputBase)"
        case .cgroupOnly: "cgroup"
        }
    }
}

/// Which cgroup to sample beside the processes.
public enum CgroupChoice: Sendable {
    /// The memory cgroup the target process is in (followed if the process changes).
    case automatic
    /// A cgroup given by directory or hierarchy path.
    case path(String)
    case none
}
